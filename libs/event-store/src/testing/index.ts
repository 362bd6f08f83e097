// Test support, a separate entry point (`@rampart/event-store/testing`) so that production code
// importing the store never loads Jest-only code.
export * from './databases';
export * from '../contract/event-store.contract';
export * from '../contract/fixtures';
