// The generator lives with the demo that seeds `npm start` (libs/demo); the tools use it from there.
export * from '@rampart/demo';
