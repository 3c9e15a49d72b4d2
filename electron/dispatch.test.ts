// dispatch(): what a caller sees of a refusal — the structured part it can act on, never internal causes.
import { describe, expect, it } from 'vitest';
import { AtelierError } from '../engine/errors';
import type { Handlers } from '../preload/contract';
import { dispatch } from './dispatch';

function handlersThrowing(error: unknown): Handlers {
  return new Proxy({} as Handlers, {
    get: () => () => {
      throw error;
    },
  });
}

describe('dispatch', () => {
  it('passes a validation refusal’s problems to the caller, without its cause', async () => {
    const problems = [{ kind: 'markup', excerpt: '<b>', message: 'HTML tags are not allowed.' }];
    const result = await dispatch(
      handlersThrowing(new AtelierError('VALIDATION', 'The prompt has markup: <b>.', { problems, cause: 'stack…' })),
      'app:info',
      {},
      () => undefined,
    );
    expect(result).toEqual({ ok: false, error: { code: 'VALIDATION', message: 'The prompt has markup: <b>.', details: { problems } } });
  });

  it('keeps internal details in the log only', async () => {
    const logged: unknown[] = [];
    const result = await dispatch(handlersThrowing(new Error('disk on fire')), 'app:info', {}, (e) => logged.push(e));
    expect(result.ok).toBe(false);
    if (!result.ok) {
      expect(result.error.code).toBe('INTERNAL');
      expect(result.error.details).toBeUndefined();
    }
    expect(logged).toHaveLength(1);
  });

  it('refuses an unknown channel and bad input with VALIDATION', async () => {
    const handlers = handlersThrowing(new Error('never called'));
    expect(await dispatch(handlers, 'nope:nothing', {})).toMatchObject({ ok: false, error: { code: 'VALIDATION' } });
    expect(await dispatch(handlers, 'models:get', { modelId: 7 })).toMatchObject({ ok: false, error: { code: 'VALIDATION' } });
  });
});
