// The "Check a file" result as the creator reads it: the named draft, client and model, and the confidence.
import { describe, expect, it } from 'vitest';
import type { WatermarkCheck } from '../../../preload/contract';
import { checkHeadline, checkRows, confidenceText, credentialsLine } from './check-view';

const found: WatermarkCheck = {
  name: 'rose.png',
  kind: 'image',
  found: true,
  confidence: 0.9999999,
  payload: { draftId: 1042, clientId: 77, modelId: 1 },
  payloadHex: '000004120004d001',
  model: 'Tattoo model 1',
  message: 'The picture “rose.png” carries your mark.',
};

const { model: _model, ...withoutModel } = found;

describe('check view', () => {
  it('lists draft, client, model and confidence of a found mark', () => {
    expect(checkRows(found).map((r) => [r.id, r.value])).toEqual([
      ['draft', '1042'],
      ['client', '77'],
      ['model', 'Tattoo model 1'],
      ['confidence', '> 99.9999%'],
    ]);
    expect(checkHeadline(found)).toBe('This picture carries your mark');
  });

  it('says when the model is not one of the creator’s, or unknown for an audio draft without a record', () => {
    expect(checkRows({ ...withoutModel, payload: { draftId: 5, clientId: 6, modelId: 900 } }).find((r) => r.id === 'model')?.value).toBe(
      'Number 900 — not one of your current models',
    );
    const audio = checkRows({ ...withoutModel, kind: 'audio', payload: { draftId: 7 } });
    expect(audio.map((r) => r.id)).toEqual(['draft', 'client', 'model', 'confidence']);
    expect(audio[1]!.value).toContain('Unknown');
  });

  it('shows nothing for a file without a mark, and never rounds a confidence up to certainty', () => {
    const none: WatermarkCheck = { name: 'a.wav', kind: 'audio', found: false, confidence: 0, message: 'No mark.' };
    expect(checkRows(none)).toEqual([]);
    expect(checkHeadline(none)).toBe('No mark of yours in this recording');
    expect(confidenceText(0.99999999)).toBe('> 99.9999%');
    expect(confidenceText(0.999995)).toBe('99.9995%');
    expect(confidenceText(0.991)).toBe('99.1%');
    expect(confidenceText(Number.NaN)).toBe('0%');
    expect(confidenceText(1)).toBe('> 99.9999%');
  });

  it('adds the content-credentials line when the picture carries credentials', () => {
    expect(credentialsLine(found)).toBeNull();
    const line = 'AI-generated with Ilse flash v2 by Ilse — signed by this studio (not on a public trust list)';
    const withCredentials: WatermarkCheck = {
      ...found,
      credentials: {
        description: 'AI-generated with Ilse flash by Ilse',
        modelName: 'Ilse flash',
        modelVersion: 'v2',
        creatorName: 'Ilse',
        trainingSetHash: 'ab'.repeat(32),
        signer: 'Ilse',
        verdict: 'untrusted',
        signedByThisStudio: true,
        problems: ['signingCredential.untrusted'],
        line,
      },
    };
    expect(credentialsLine(withCredentials)).toBe(`Content credentials: ${line}`);
  });
});
