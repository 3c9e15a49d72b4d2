// readFailure: each way a file can fail to open becomes a creator-facing error naming the file.
import { describe, expect, it } from 'vitest';
import { AtelierError } from '../errors';
import { readFailure } from './file-access';

function fsError(code: string): Error {
  return Object.assign(new Error(`${code}: operation failed, open '/secret/path'`), { code });
}

describe('readFailure', () => {
  const expected: Array<[string, string]> = [
    ['ENOENT', 'NOT_FOUND'],
    ['ENOTDIR', 'NOT_FOUND'],
    ['EACCES', 'UNSUPPORTED_FILE'],
    ['EPERM', 'UNSUPPORTED_FILE'],
    ['EISDIR', 'UNSUPPORTED_FILE'],
    ['EIO', 'CORRUPT_FILE'],
    ['EMFILE', 'INTERNAL'],
  ];
  for (const [errno, code] of expected) {
    it(`turns ${errno} into ${code} naming the file, keeping the raw cause out of the message`, () => {
      const error = readFailure('sketch.png', fsError(errno));
      expect(error.code).toBe(code);
      expect(error.message).toContain('“sketch.png”');
      expect(error.message).not.toContain('/secret/path');
    });
  }

  it('passes an AtelierError through unchanged', () => {
    const original = new AtelierError('CONFLICT', 'changed');
    expect(readFailure('x.png', original)).toBe(original);
  });
});
