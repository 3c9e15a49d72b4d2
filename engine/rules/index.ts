// The product rules as pure functions (issue 5): catalogue, subscription, quota, pricing, plain text, publishing.
export * from './time';
export * from './catalog';
export * from './subscription';
export * from './quota';
export * from './pricing';
export * from './plain-text';
export * from './publishing';
