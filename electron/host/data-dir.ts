// Where the CLI finds the studio's data when no --data-dir is given: the same folder the desktop app uses.
import os from 'node:os';
import path from 'node:path';

/** Electron's userData folder name: the product name electron-builder gives the packaged app. */
export const APP_FOLDER_NAME = 'Atelier';

/**
 * `ATELIER_DATA_DIR`, else the OS's per-user application data folder + "Atelier" — the folder Electron's
 * `app.getPath('userData')` returns (appData: %APPDATA% on Windows, ~/Library/Application Support on macOS,
 * $XDG_CONFIG_HOME or ~/.config on Linux and other Unixes).
 */
export function defaultDataDir(
  env: Readonly<Record<string, string | undefined>> = process.env,
  platform: NodeJS.Platform = process.platform,
  home: string = os.homedir(),
): string {
  if (env.ATELIER_DATA_DIR) return path.resolve(env.ATELIER_DATA_DIR);
  if (platform === 'win32') {
    return path.win32.join(env.APPDATA || path.win32.join(home, 'AppData', 'Roaming'), APP_FOLDER_NAME);
  }
  if (platform === 'darwin') return path.posix.join(home, 'Library', 'Application Support', APP_FOLDER_NAME);
  return path.posix.join(env.XDG_CONFIG_HOME || path.posix.join(home, '.config'), APP_FOLDER_NAME);
}
