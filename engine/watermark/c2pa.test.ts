// Clean export: C2PA credentials round-trip through PNG and JPEG, leave pixels alone, and bad input fails clearly.
import sharp from 'sharp';
import { beforeAll, describe, expect, it } from 'vitest';
import { photoPixels } from '../../tests/fixtures/images';
import { rejectedAtelierError } from '../../tests/fixtures/atelier-errors';
import { createCreatorCredentials, type CreatorCredentials } from './credentials';
import { exportWithCredentials, readCredentials, TRAINED_ALGORITHMIC_MEDIA, type ExportFacts } from './c2pa';

const SIDE = 96;
const FACTS: ExportFacts = {
  title: '',
  creatorName: 'Ana Lima',
  modelName: 'Ink Studies',
  modelVersion: '3.1.0',
  trainingSetHash: '9f'.repeat(32),
  generatedAt: '2026-11-21T10:00:00.000Z',
};

async function picture(format: 'png' | 'jpeg', seed: number): Promise<Uint8Array> {
  const raw = sharp(photoPixels(SIDE, SIDE, seed), { raw: { width: SIDE, height: SIDE, channels: 3 } });
  return new Uint8Array(await (format === 'png' ? raw.png() : raw.jpeg({ quality: 90 })).toBuffer());
}

async function pixels(bytes: Uint8Array): Promise<Buffer> {
  return sharp(bytes).raw().toBuffer();
}

let credentials: CreatorCredentials;
beforeAll(async () => {
  credentials = await createCreatorCredentials({ creatorName: 'Ana Lima', now: new Date('2026-11-21T09:00:00Z') });
});

describe('exportWithCredentials + readCredentials', () => {
  it.each(['png', 'jpeg'] as const)('embeds a manifest in a %s that reads back with the model facts and unchanged pixels', async (format) => {
    const original = await picture(format, 11);
    const exported = await exportWithCredentials(original, format, FACTS, credentials);
    expect(exported.length).toBeGreaterThan(original.length);

    const summary = await readCredentials(exported, 'export.' + format);
    expect(summary).not.toBeNull();
    expect(summary?.atelier).toEqual(FACTS);
    expect(summary?.title).toBe('AI-generated with Ink Studies by Ana Lima');
    expect(summary?.description).toBe('AI-generated with Ink Studies by Ana Lima');
    expect(summary?.digitalSourceType).toBe(TRAINED_ALGORITHMIC_MEDIA);
    expect(summary?.claimGenerator).toBe('Atelier');
    expect(summary?.signer.commonName).toBe('Ana Lima');
    // Correctly signed, but by a local CA no public trust list knows: that is the honest verdict.
    expect(summary?.verdict).toBe('untrusted');
    expect(summary?.problems).toEqual(['signingCredential.untrusted']);

    expect((await pixels(exported)).equals(await pixels(original))).toBe(true);
  });

  it('validates against the creator’s own CA given as trust anchor, and not against another creator’s of the same name', async () => {
    const exported = await exportWithCredentials(await picture('png', 13), 'png', FACTS, credentials);
    const authority = (chain: string) => chain.match(/-----BEGIN CERTIFICATE-----[\s\S]+?-----END CERTIFICATE-----/g)!.at(-1)!;
    const own = await readCredentials(exported, 'export.png', { trustAnchorsPem: authority(credentials.certificateChainPem) });
    expect(own?.verdict).toBe('valid');
    const impostor = await createCreatorCredentials({ creatorName: 'Ana Lima', now: new Date('2026-11-21T09:00:00Z') });
    const other = await readCredentials(exported, 'export.png', { trustAnchorsPem: authority(impostor.certificateChainPem) });
    expect(other?.verdict).toBe('untrusted');
  });

  it('keeps an explicit title and still states the model and creator', async () => {
    const exported = await exportWithCredentials(await picture('png', 12), 'png', { ...FACTS, title: 'Harbour at dawn' }, credentials);
    const summary = await readCredentials(exported);
    expect(summary?.title).toBe('Harbour at dawn');
    expect(summary?.description).toBe('AI-generated with Ink Studies by Ana Lima');
  });

  it('reads null from pictures without credentials', async () => {
    expect(await readCredentials(await picture('png', 13))).toBeNull();
    expect(await readCredentials(await picture('jpeg', 13))).toBeNull();
  });

  it('reports a picture whose pixels changed after signing as invalid', async () => {
    const exported = await exportWithCredentials(await picture('jpeg', 14), 'jpeg', FACTS, credentials);
    const tampered = exported.slice();
    // The last bytes before the JPEG end marker are entropy-coded pixels, covered by the data hash.
    const at = tampered.length - 10;
    tampered[at] = (tampered[at] ?? 0) ^ 0x5a;
    const summary = await readCredentials(tampered);
    expect(summary?.verdict).toBe('invalid');
    expect(summary?.problems).toContain('assertion.dataHash.mismatch');
  });

  it('reports a damaged manifest instead of crashing', async () => {
    const exported = await exportWithCredentials(await picture('png', 15), 'png', FACTS, credentials);
    const text = Buffer.from(exported);
    const at = text.indexOf('Ink Studies');
    expect(at).toBeGreaterThan(0);
    const damaged = exported.slice();
    damaged[at] = 'J'.charCodeAt(0);
    const outcome = await readCredentials(damaged).then(
      (s) => ({ verdict: s?.verdict ?? null }),
      (e: unknown) => ({ error: e }),
    );
    if ('error' in outcome) {
      expect(outcome.error).toMatchObject({ name: 'AtelierError', code: 'CORRUPT_FILE' });
    } else {
      expect(outcome.verdict).toBe('invalid');
    }
  });

  it('reports a manifest cut short as damaged', async () => {
    const exported = await exportWithCredentials(await picture('png', 16), 'png', FACTS, credentials);
    const at = Buffer.from(exported).indexOf('c2pa');
    expect(at).toBeGreaterThan(0);
    const cut = exported.slice(0, at + 200);
    const outcome = await readCredentials(cut, 'cut.png').then(
      (s) => ({ verdict: s?.verdict ?? null }),
      (e: unknown) => ({ error: e }),
    );
    if ('error' in outcome) expect(outcome.error).toMatchObject({ name: 'AtelierError', code: 'CORRUPT_FILE' });
    else expect(outcome.verdict).not.toBe('untrusted');
  });
});

describe('hostile input', () => {
  it('rejects empty bytes, naming the file', async () => {
    const read = await rejectedAtelierError(readCredentials(new Uint8Array(0), 'empty.png'));
    expect(read.code).toBe('CORRUPT_FILE');
    expect(read.message).toContain('empty.png');
    const exp = await rejectedAtelierError(exportWithCredentials(new Uint8Array(0), 'png', FACTS, credentials));
    expect(exp.code).toBe('CORRUPT_FILE');
    expect(exp.message).toContain('PNG');
  });

  it('rejects bytes that are not a picture', async () => {
    const notes = new TextEncoder().encode('Meeting notes\n- call the printer\n');
    const read = await rejectedAtelierError(readCredentials(notes, 'notes.txt'));
    expect(read.code).toBe('UNSUPPORTED_FILE');
    expect(read.message).toContain('notes.txt');
    const exp = await rejectedAtelierError(exportWithCredentials(notes, 'jpeg', FACTS, credentials));
    expect(exp.code).toBe('UNSUPPORTED_FILE');
    expect(exp.message).toContain('JPEG');
  });

  it('rejects a PNG exported as JPEG and a truncated picture', async () => {
    const png = await picture('png', 17);
    expect((await rejectedAtelierError(exportWithCredentials(png, 'jpeg', FACTS, credentials))).code).toBe('UNSUPPORTED_FILE');
    const truncated = png.slice(0, 40);
    expect((await rejectedAtelierError(exportWithCredentials(truncated, 'png', FACTS, credentials))).code).toBe('CORRUPT_FILE');
    expect(await readCredentials(truncated).catch((e: unknown) => e)).toSatisfy(
      (r: unknown) => r === null || (r as { code?: string }).code === 'CORRUPT_FILE',
    );
  });

  it('rejects missing facts before signing', async () => {
    const png = await picture('png', 18);
    const err = await rejectedAtelierError(exportWithCredentials(png, 'png', { ...FACTS, modelVersion: ' ' }, credentials));
    expect(err.code).toBe('VALIDATION');
    expect(err.message).toContain('model version');
    const when = await rejectedAtelierError(exportWithCredentials(png, 'png', { ...FACTS, generatedAt: 'yesterday' }, credentials));
    expect(when.code).toBe('VALIDATION');
  });

  it('rejects a broken signing identity', async () => {
    const png = await picture('png', 19);
    const broken = { ...credentials, privateKeyPkcs8Pem: '-----BEGIN PRIVATE KEY-----\nAAAA\n-----END PRIVATE KEY-----\n' };
    const err = await rejectedAtelierError(exportWithCredentials(png, 'png', FACTS, broken));
    expect(err.code).toBe('VALIDATION');
    expect(err.message).toContain('signing identity');
  });
});
