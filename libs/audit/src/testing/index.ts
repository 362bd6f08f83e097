export * from './verification-suite';
