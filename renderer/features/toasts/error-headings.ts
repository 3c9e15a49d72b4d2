// A friendly heading for every error code; the message under it is the studio's own, shown as given.
import type { ErrorCode } from '../../../preload/contract';

// A Record over every code: a new code in engine/errors.ts fails the typecheck until it has a heading.
export const ERROR_HEADINGS: Readonly<Record<ErrorCode, string>> = {
  VALIDATION: 'Please check what you entered',
  NOT_FOUND: 'Not found',
  UNSUPPORTED_FILE: 'File type not supported',
  CORRUPT_FILE: 'File could not be read',
  TOO_LARGE: 'Too large',
  QUOTA_EXCEEDED: 'Training quota used up',
  SUBSCRIPTION_REQUIRED: 'Subscription needed',
  ACTIVE_LIMIT: 'Active model limit reached',
  CONFLICT: 'That changed in the meantime',
  CANCELLED: 'Cancelled',
  AUTH: 'Profile locked',
  RATE_LIMITED: 'Too many attempts',
  INTERNAL: 'Something went wrong',
};

export function headingFor(code: string): string {
  return Object.prototype.hasOwnProperty.call(ERROR_HEADINGS, code)
    ? ERROR_HEADINGS[code as ErrorCode]
    : ERROR_HEADINGS.INTERNAL;
}
