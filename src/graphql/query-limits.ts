import { GraphQLError, Kind, visit } from 'graphql';
import type {
  ASTVisitor,
  FragmentDefinitionNode,
  SelectionSetNode,
  ValidationContext,
} from 'graphql';
import { fieldExtensionsEstimator, getComplexity, simpleEstimator } from 'graphql-query-complexity';
import type { ApolloServerPlugin } from '@apollo/server';

/**
 * Validation rule rejecting queries nested deeper than `maxDepth` fields, so
 * a client cannot walk dataset → source → runs → source … without end.
 * Fragments are followed; introspection fields count like any other.
 */
export function depthLimitRule(maxDepth: number) {
  return (context: ValidationContext): ASTVisitor => {
    const fragments = new Map<string, FragmentDefinitionNode>();
    for (const definition of context.getDocument().definitions) {
      if (definition.kind === Kind.FRAGMENT_DEFINITION) {
        fragments.set(definition.name.value, definition);
      }
    }

    const depthOf = (selectionSet: SelectionSetNode | undefined, visited: Set<string>): number => {
      if (selectionSet === undefined) {
        return 0;
      }
      let deepest = 0;
      for (const selection of selectionSet.selections) {
        if (selection.kind === Kind.FIELD) {
          deepest = Math.max(deepest, 1 + depthOf(selection.selectionSet, visited));
        } else if (selection.kind === Kind.INLINE_FRAGMENT) {
          deepest = Math.max(deepest, depthOf(selection.selectionSet, visited));
        } else {
          const name = selection.name.value;
          const fragment = fragments.get(name);
          if (fragment !== undefined && !visited.has(name)) {
            deepest = Math.max(
              deepest,
              depthOf(fragment.selectionSet, new Set([...visited, name])),
            );
          }
        }
      }
      return deepest;
    };

    return {
      OperationDefinition(node) {
        const depth = depthOf(node.selectionSet, new Set());
        if (depth > maxDepth) {
          context.reportError(
            new GraphQLError(
              `query depth ${depth} exceeds the limit of ${maxDepth}: request fewer nested levels, or split the query`,
              {
                nodes: [node],
                extensions: { code: 'QUERY_TOO_DEEP' },
              },
            ),
          );
        }
      },
    };
  };
}

/**
 * Apollo plugin that estimates each operation's cost before it runs: every
 * field costs 1, and a list field's children are multiplied by its `first`
 * or `limit` argument (or 20 when absent). Operations above `maxCost` are
 * rejected with the figure and the limit.
 */
export function costLimitPlugin(maxCost: number): ApolloServerPlugin {
  return {
    async requestDidStart() {
      return {
        async didResolveOperation({ request, document, schema }) {
          const cost = getComplexity({
            schema,
            query: document,
            operationName: request.operationName ?? undefined,
            variables: request.variables ?? {},
            estimators: [
              fieldExtensionsEstimator(),
              ({ args, childComplexity }) => {
                const size =
                  typeof args.first === 'number'
                    ? args.first
                    : typeof args.limit === 'number'
                      ? args.limit
                      : undefined;
                if (size !== undefined && childComplexity > 0) {
                  return 1 + childComplexity * Math.max(size, 1);
                }
                return undefined;
              },
              simpleEstimator({ defaultComplexity: 1 }),
            ],
          });
          if (cost > maxCost) {
            throw new GraphQLError(
              `query cost ${cost} exceeds the limit of ${maxCost}: ask for smaller pages (first) or fewer fields`,
              {
                extensions: { code: 'QUERY_TOO_COSTLY', cost, maxCost, http: { status: 400 } },
              },
            );
          }
        },
      };
    },
  };
}

/**
 * Apollo plugin that rejects NUL characters in string arguments and
 * variables before any resolver runs. PostgreSQL text cannot hold NUL, so
 * such a value would otherwise fail deep inside a query or a provenance
 * record as an internal error.
 */
export function nulCharacterPlugin(): ApolloServerPlugin {
  return {
    async requestDidStart() {
      return {
        async didResolveOperation({ request, document }) {
          let where = nulPath(request.variables ?? {}, '$');
          visit(document, {
            Argument(node) {
              if (
                where === null &&
                node.value.kind === Kind.STRING &&
                node.value.value.includes('\u0000')
              ) {
                where = `argument ${node.name.value}`;
              }
            },
            ObjectField(node) {
              if (
                where === null &&
                node.value.kind === Kind.STRING &&
                node.value.value.includes('\u0000')
              ) {
                where = `field ${node.name.value}`;
              }
            },
            ListValue(node) {
              if (
                where === null &&
                node.values.some(
                  (item) => item.kind === Kind.STRING && item.value.includes('\u0000'),
                )
              ) {
                where = 'a list value';
              }
            },
          });
          if (where !== null) {
            throw new GraphQLError(`${where} contains a NUL character (U+0000): remove it`, {
              extensions: { code: 'BAD_USER_INPUT', http: { status: 400 } },
            });
          }
        },
      };
    },
  };
}

/** Returns the path of the first string in `value` that contains NUL, or null when none does. */
function nulPath(value: unknown, path: string): string | null {
  if (typeof value === 'string') {
    return value.includes('\u0000') ? path : null;
  }
  if (Array.isArray(value)) {
    for (let index = 0; index < value.length; index += 1) {
      const found = nulPath(value[index], `${path}[${index}]`);
      if (found !== null) return found;
    }
    return null;
  }
  if (typeof value === 'object' && value !== null) {
    for (const [key, item] of Object.entries(value)) {
      const found = key.includes('\u0000')
        ? path
        : nulPath(item, `${path}${path === '$' ? '' : '.'}${key}`);
      if (found !== null) return found;
    }
  }
  return null;
}

/**
 * Apollo plugin that answers 400 instead of 500 when every error of a
 * response is the client's (a variable of the wrong type is marked
 * BAD_USER_INPUT by the error formatter after Apollo chose the status).
 */
export function clientErrorStatusPlugin(): ApolloServerPlugin {
  return {
    async requestDidStart() {
      return {
        async willSendResponse({ response }) {
          if (response.body.kind !== 'single' || response.http.status !== 500) {
            return;
          }
          const errors = response.body.singleResult.errors ?? [];
          if (
            errors.length > 0 &&
            errors.every((error) => error.extensions?.code === 'BAD_USER_INPUT')
          ) {
            response.http.status = 400;
          }
        },
      };
    },
  };
}
