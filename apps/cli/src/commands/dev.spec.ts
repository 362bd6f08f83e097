// `rampart dev sign-in-link`'s help states the code's lifetime without loading the API for it.
import { SIGN_IN_CODE_LIFETIME_SECONDS } from '@rampart/graphql-api';
import { SIGN_IN_CODE_MINUTES } from './dev';

it('states the lifetime the API gives sign-in codes', () => {
  expect(SIGN_IN_CODE_MINUTES * 60).toBe(SIGN_IN_CODE_LIFETIME_SECONDS);
});
