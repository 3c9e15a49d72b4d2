// The unlock countdown comes from the RATE_LIMITED message, since details do not reach the renderer.
import { describe, expect, it } from 'vitest';
import { formatWait, locateWait, retryAfterFromMessage } from './rate-limit';

describe('retryAfterFromMessage', () => {
  it('reads the profiles service message', () => {
    expect(retryAfterFromMessage('Too many wrong passwords for “Mara”. Try again in 8 s.')).toBe(8_000);
  });

  it('reads minutes, hours and combinations', () => {
    expect(retryAfterFromMessage('Try again in 15 min.')).toBe(900_000);
    expect(retryAfterFromMessage('Try again in 2 minutes and 5 seconds.')).toBe(125_000);
    expect(retryAfterFromMessage('Try again in 1 min 30 s')).toBe(90_000);
    expect(retryAfterFromMessage('Try again in 1 hour.')).toBe(3_600_000);
    expect(retryAfterFromMessage('Try again in 1.5 s')).toBe(1_500);
    expect(retryAfterFromMessage('Try again in 1,5 s')).toBe(1_500);
    expect(retryAfterFromMessage('Try again in 250 ms')).toBe(250);
  });

  it('is not fooled by a duration inside the profile name', () => {
    expect(retryAfterFromMessage('Too many wrong passwords for “Studio 5 s”. Try again in 16 s.')).toBe(16_000);
    expect(retryAfterFromMessage('Too many wrong passwords for "in 99 min". Try again in 2 s.')).toBe(2_000);
  });

  it('falls back to a duration without "in"', () => {
    expect(retryAfterFromMessage('Locked for 30 seconds.')).toBe(30_000);
  });

  it('returns null when no duration is named', () => {
    expect(retryAfterFromMessage('Too many wrong passwords. Try again later.')).toBeNull();
    expect(retryAfterFromMessage('')).toBeNull();
    expect(retryAfterFromMessage('Wait for “8 s”.')).toBeNull();
  });

  it('survives hostile input without hanging', () => {
    const long = 'in ' + '9 s '.repeat(5_000) + 'x'.repeat(10_000);
    expect(retryAfterFromMessage(long)).toBe(45_000_000);
  });
});

describe('locateWait', () => {
  it('points at the duration so a live countdown can replace it', () => {
    const message = 'Too many wrong passwords for “Ana 3 s”. Try again in 1 min 30 s.';
    const wait = locateWait(message)!;
    expect(message.slice(wait.start, wait.end)).toBe('1 min 30 s');
    expect(wait.ms).toBe(90_000);
    expect(message.slice(0, wait.start) + '42 s' + message.slice(wait.end)).toBe(
      'Too many wrong passwords for “Ana 3 s”. Try again in 42 s.',
    );
  });
});

describe('formatWait', () => {
  it('rounds up to whole seconds and names the units', () => {
    expect(formatWait(7_001)).toBe('8 s');
    expect(formatWait(8_000)).toBe('8 s');
    expect(formatWait(0)).toBe('0 s');
    expect(formatWait(-50)).toBe('0 s');
    expect(formatWait(65_000)).toBe('1 min 5 s');
    expect(formatWait(900_000)).toBe('15 min');
    expect(formatWait(3_600_000 + 180_000)).toBe('1 h 3 min');
    expect(formatWait(7_200_000)).toBe('2 h');
  });
});
