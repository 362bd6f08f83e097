// GraphQL arguments holding text no store can keep (a NUL, an unpaired surrogate) are refused
// before any resolver runs, over HTTP (an Apollo plugin) and WebSocket (socket-server.ts) alike:
// named BAD_USER_INPUT instead of a failure when the event is appended.
import type { ApolloServerPlugin } from '@apollo/server';
import { unstorableTextIn } from '@rampart/event-sourcing';
import { GraphQLError, Kind, visit, type DocumentNode } from 'graphql';

// eslint-disable-next-line no-control-regex -- finding control characters is the point
const UNSTORABLE = /\u0000|[\ud800-\udbff](?![\udc00-\udfff])|(?<![\ud800-\udbff])[\udc00-\udfff]/;

/** What is wrong with the operation's text arguments, if anything: in its variables or its literals. */
export const unstorableArgument = (document: DocumentNode, variables: Record<string, unknown> | null | undefined): string | undefined => {
  const inVariables = variables ? unstorableTextIn(variables, '$') : undefined;
  if (inVariables) return `variables: ${inVariables}`;
  let found: string | undefined;
  visit(document, {
    [Kind.STRING]: (node) => {
      if (!found && UNSTORABLE.test(node.value)) found = `a string literal at line ${node.loc?.startToken.line ?? '?'} holds a NUL character or an unpaired UTF-16 surrogate`;
    },
  });
  return found;
};

export const invalidTextError = (where: string) =>
  new GraphQLError(`text that cannot be stored: ${where}`, { extensions: { code: 'BAD_USER_INPUT', reason: 'invalid-text', http: { status: 400 } } });

export const textGuardPlugin: ApolloServerPlugin = {
  async requestDidStart() {
    return {
      async didResolveOperation({ document, request }) {
        const found = unstorableArgument(document, request.variables);
        if (found) throw invalidTextError(found);
      },
    };
  },
};
