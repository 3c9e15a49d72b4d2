// Turns a failure to open or read a creator's file into an AtelierError that names the file and says what to do.
import { AtelierError } from '../errors';

/** The errno code of a Node fs error, or undefined for anything else. */
export function errnoCode(e: unknown): string | undefined {
  if (typeof e === 'object' && e !== null && 'code' in e) {
    const code = (e as { code: unknown }).code;
    return typeof code === 'string' ? code : undefined;
  }
  return undefined;
}

function causeOf(e: unknown): { name: string; message: string; code?: string } | { value: string } {
  if (e instanceof Error) {
    const code = errnoCode(e);
    return code === undefined ? { name: e.name, message: e.message } : { name: e.name, message: e.message, code };
  }
  return { value: String(e) };
}

/**
 * The error a creator sees when the file they chose cannot be read at all.
 * A missing file is NOT_FOUND; a folder, a device or a file we may not read is UNSUPPORTED_FILE (it is not
 * something Atelier can import as it stands — the message says how to fix it); a disk read failure is
 * CORRUPT_FILE; anything else stays INTERNAL with the cause in details for the log.
 */
export function readFailure(name: string, e: unknown): AtelierError {
  if (e instanceof AtelierError) return e;
  const code = errnoCode(e);
  const details = { file: name, cause: causeOf(e) };
  switch (code) {
    case 'ENOENT':
    case 'ENOTDIR':
      return new AtelierError('NOT_FOUND', `“${name}” could not be found. It may have been moved, renamed or deleted.`, details);
    case 'EACCES':
    case 'EPERM':
      return new AtelierError(
        'UNSUPPORTED_FILE',
        `Atelier is not allowed to read “${name}”. Check the file's permissions (or copy it to a folder you own) and import it again.`,
        details,
      );
    case 'EISDIR':
      return folderNotFile(name);
    case 'EIO':
      return new AtelierError(
        'CORRUPT_FILE',
        `“${name}” could not be read from the disk. Copy it somewhere else and import the copy.`,
        details,
      );
    case 'ELOOP':
    case 'ENAMETOOLONG':
      return new AtelierError('NOT_FOUND', `“${name}” could not be opened: its path is too long or loops back on itself.`, details);
    default:
      return new AtelierError('INTERNAL', `Atelier could not read “${name}”. The details are in the log.`, details);
  }
}

export function folderNotFile(name: string): AtelierError {
  return new AtelierError(
    'UNSUPPORTED_FILE',
    // Non-empty folders are walked before import (electron/services/assets.ts); one that reaches a reader is empty.
    `“${name}” is a folder with nothing Atelier can import in it (hidden files are skipped). Choose a folder that holds images, recordings or texts.`,
    { file: name },
  );
}

export function notARegularFile(name: string): AtelierError {
  return new AtelierError(
    'UNSUPPORTED_FILE',
    `“${name}” is not a regular file (it may be a device or a pipe). Choose an image file instead.`,
    { file: name },
  );
}
