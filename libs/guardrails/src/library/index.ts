export * from './artifacts';
export * from './library';
export * from './import-plan';
export * from './library-catalog';
export * from './library-change';
