export * from './settings';
export * from './staff';
export * from './audit';
export * from './system';
export * from './customers';
export * from './catalog';
export * from './imports';
