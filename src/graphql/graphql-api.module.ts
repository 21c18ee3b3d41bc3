import { ApolloDriver } from '@nestjs/apollo';
import type { ApolloDriverConfig } from '@nestjs/apollo';
import { Logger, Module } from '@nestjs/common';
import { GraphQLModule } from '@nestjs/graphql';
import type { Request } from 'express';
import { GraphQLError } from 'graphql';

import { AccessModule } from '../access/access.module';
import { AuthModule } from '../auth/auth.module';
import { AuthenticationError, AuthService } from '../auth/auth.service';
import { CatalogModule } from '../catalog/catalog.module';
import { WeftConfigService } from '../config/weft-config.service';
import { HarvestModule } from '../harvest/harvest.module';
import { ProductsModule } from '../products/products.module';
import type { GraphqlContext } from './graphql-context';
import { toGraphQLError } from './graphql-errors';
import {
  clientErrorStatusPlugin,
  costLimitPlugin,
  depthLimitRule,
  nulCharacterPlugin,
} from './query-limits';
import { DataProductResolver, DatasetProductsResolver } from './resolvers/data-product.resolver';
import { DatasetConnectionResolver } from './resolvers/dataset-connection.resolver';
import { DatasetResolver } from './resolvers/dataset.resolver';
import { IdentifierResolver } from './resolvers/identifier.resolver';
import { LicenceResolver } from './resolvers/licence.resolver';
import { HarvestRunResolver, SourceResolver } from './resolvers/source.resolver';

const errorLogger = new Logger('GraphQL');

@Module({
  imports: [
    AccessModule,
    AuthModule,
    CatalogModule,
    HarvestModule,
    ProductsModule,
    GraphQLModule.forRootAsync<ApolloDriverConfig>({
      driver: ApolloDriver,
      imports: [AuthModule],
      inject: [WeftConfigService, AuthService],
      useFactory: (config: WeftConfigService, auth: AuthService): ApolloDriverConfig => ({
        path: '/graphql',
        autoSchemaFile: true,
        sortSchema: true,
        // The sandbox landing page loads scripts from a CDN; a site may be air-gapped, so it stays off.
        playground: false,
        introspection: true,
        // Stack traces name server paths; they stay in the log.
        includeStacktraceInErrorResponses: false,
        validationRules: [depthLimitRule(config.value.graphqlMaxDepth)],
        plugins: [
          nulCharacterPlugin(),
          costLimitPlugin(config.value.graphqlMaxCost),
          clientErrorStatusPlugin(),
        ],
        context: async ({ req }: { req: Request }): Promise<GraphqlContext> => {
          try {
            const viewer = await auth.viewerFromHeader(req.headers.authorization);
            return { req, viewer };
          } catch (error) {
            if (error instanceof AuthenticationError) {
              throw new GraphQLError(error.message, {
                extensions: { code: 'UNAUTHENTICATED', http: { status: 401 } },
              });
            }
            throw error;
          }
        },
        formatError: (formatted, error) => {
          const original = (error as { originalError?: unknown }).originalError;
          // Errors of GraphQL itself (parse, validation, limits, sign-in) keep their own codes.
          if (original === undefined || original === null || original instanceof GraphQLError) {
            const merged = {
              ...formatted.extensions,
              ...(original instanceof GraphQLError ? original.extensions : {}),
            };
            // NOTE: Apollo Server 5 reports some variable coercion failures as internal errors.
            // They are the client's mistake, so they are marked as bad input here, and
            // clientErrorStatusPlugin then sets HTTP status 400.
            if (
              merged.code === 'INTERNAL_SERVER_ERROR' &&
              formatted.message.startsWith('Variable "$')
            ) {
              merged.code = 'BAD_USER_INPUT';
            }
            const { stacktrace: _stacktrace, ...extensions } = merged;
            return { ...formatted, extensions };
          }
          const mapped = toGraphQLError(original);
          if (mapped.extensions.code === 'INTERNAL_SERVER_ERROR') {
            const cause =
              original instanceof Error ? original : new Error(JSON.stringify(original));
            errorLogger.error(
              { msg: 'GraphQL resolver failed', path: formatted.path, error: cause.message },
              cause.stack,
            );
          }
          return { ...formatted, message: mapped.message, extensions: { ...mapped.extensions } };
        },
      }),
    }),
  ],
  providers: [
    DatasetResolver,
    DatasetConnectionResolver,
    SourceResolver,
    HarvestRunResolver,
    IdentifierResolver,
    DataProductResolver,
    DatasetProductsResolver,
    LicenceResolver,
  ],
})
export class GraphqlApiModule {}
