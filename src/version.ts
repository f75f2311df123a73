import pkg from '../package.json' with { type: 'json' };

// Set with --define by scripts/build.ts; absent when running from source.
declare const FORTE_VERSION: string | undefined;
declare const FORTE_COMMIT: string | undefined;

export const APP_VERSION: string = typeof FORTE_VERSION === 'string' ? FORTE_VERSION : pkg.version;
export const APP_COMMIT: string = typeof FORTE_COMMIT === 'string' ? FORTE_COMMIT : 'dev';
