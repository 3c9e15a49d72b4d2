// The known migrations of each database, in order. Append only: never edit or reorder a shipped one.
// Migrations are TypeScript modules holding SQL (not .sql files) so they are bundled into the Electron
// main process and run unchanged under plain Node (CLI, host, tests) with no file-copy step.
import studio0001 from './studio/0001-assets-jobs';
import studio0002 from './studio/0002-curation';
import studio0003 from './studio/0003-models';
import studio0004 from './studio/0004-watermark';
import workstation0001 from './workstation/0001-profiles';

export interface Migration {
  /** Strictly increasing from 1; becomes PRAGMA user_version once applied. */
  version: number;
  name: string;
  sql: string;
}

export const workstationMigrations: readonly Migration[] = [{ version: 1, name: 'profiles', sql: workstation0001 }];

export const studioMigrations: readonly Migration[] = [
  { version: 1, name: 'assets-jobs', sql: studio0001 },
  { version: 2, name: 'curation', sql: studio0002 },
  { version: 3, name: 'models', sql: studio0003 },
  { version: 4, name: 'watermark', sql: studio0004 },
];
