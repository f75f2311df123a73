export * from './settings';
export * from './staff';
export * from './audit';
export * from './system';
