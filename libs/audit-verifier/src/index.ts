export * from './folder';
export * from './keys';
export * from './report';
export * from './standalone';
