export * from './folder';
export * from './report';
export * from './standalone';
