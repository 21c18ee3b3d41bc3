# Weft service image: build the TypeScript, then run it as an unprivileged user.
FROM node:22-bookworm-slim AS build
WORKDIR /app
COPY package.json package-lock.json ./
RUN npm ci
COPY tsconfig.json tsconfig.build.json nest-cli.json ./
COPY src ./src
COPY migrations ./migrations
COPY bench ./bench
RUN npm run build && npm prune --omit=dev

FROM node:22-bookworm-slim
WORKDIR /app
# Smaller V8 heaps keep Weft within a few hundred MB; docs/benchmarks.md has the measurements.
ENV NODE_ENV=production WEFT_HTTP_HOST=0.0.0.0 NODE_OPTIONS="--max-semi-space-size=2 --max-old-space-size=192"
COPY --from=build /app/node_modules ./node_modules
COPY --from=build /app/dist ./dist
COPY package.json ./
COPY ontologies ./ontologies
# Export ZIP files go to a folder the service user may write; /app stays read-only for it.
RUN mkdir -p /var/lib/weft/exports && chown -R node:node /var/lib/weft
ENV WEFT_EXPORT_DIR=/var/lib/weft/exports
USER node
EXPOSE 8080
HEALTHCHECK --interval=30s --timeout=5s CMD node -e "fetch('http://127.0.0.1:8080/health').then(r=>process.exit(r.ok?0:1)).catch(()=>process.exit(1))"
CMD ["node", "dist/src/cli/weft.js", "serve"]
