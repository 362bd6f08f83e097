# One image for the api and worker services (docker-compose.yml picks the command).
# Node 24 LTS, as `engines` in package.json says; the image's own Node runs everything.
FROM node:24-bookworm-slim
ENV NODE_ENV=production
WORKDIR /app
COPY package.json package-lock.json ./
# Dev dependencies stay: the CLI runs TypeScript through swc at start-up. The `node` package
# (the Node 24 that `npm ci` brings to machines with an older one) is dropped: the image has its own.
RUN npm ci --include=dev --no-audit --no-fund \
 && rm -rf node_modules/node node_modules/.bin/node
COPY . .
# Fails the build if the base image's Node does not meet package.json's engines.
RUN node -e "require('./tools/bin/node-version.js').requireSupportedNode()"
USER node
CMD ["node", "tools/bin/rampart.js", "api"]
