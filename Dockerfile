# One image for the api and worker services (docker-compose.yml picks the command): the built
# `rampart` command (dist/cli, see tools/build/build.js) and the web console's build, on production
# dependencies only, run by an unprivileged user. Node 24 LTS, as `engines` in package.json says; the
# image's own Node runs everything.

# --- build: every dependency, the sources, and the two builds -------------------------------------
FROM node:24-bookworm-slim AS build
WORKDIR /src
COPY package.json package-lock.json ./
# The `node` package (the Node 24 that `npm ci` brings to machines with an older one) is dropped:
# the image has its own.
RUN npm ci --no-audit --no-fund \
 && rm -rf node_modules/node node_modules/.bin/node
COPY . .
# Fails the build if the base image's Node does not meet package.json's engines.
RUN node -e "require('./tools/bin/node-version.js').requireSupportedNode()" \
 && node tools/scripts/console-build.js --force \
 && test -f apps/console/dist/index.html \
 && node tools/build/build.js

# --- runtime: production dependencies and the build output, nothing else --------------------------
FROM node:24-bookworm-slim AS runtime
ENV NODE_ENV=production
WORKDIR /app
COPY package.json package-lock.json ./
RUN npm ci --omit=dev --no-audit --no-fund \
 && npm cache clean --force
COPY --from=build /src/dist/cli ./dist/cli
# RAMPART_CONSOLE_DIR's default (apps/console/dist, relative to the working folder) finds it here.
COPY --from=build /src/apps/console/dist ./apps/console/dist
# The data folder (RAMPART_DATA_DIR, default ./.rampart: the audit signing key when generated, API
# exports) is the one place the unprivileged user writes; mount a volume there to keep it.
RUN mkdir -p .rampart && chown node:node .rampart
USER node
CMD ["node", "dist/cli/rampart.js", "api"]
