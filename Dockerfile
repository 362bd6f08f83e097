# One image for the api and worker services (docker-compose.yml picks the command).
FROM node:20-bookworm-slim
ENV NODE_ENV=production
WORKDIR /app
COPY package.json package-lock.json ./
# Dev dependencies stay: the CLI runs TypeScript through swc at start-up.
RUN npm ci --include=dev --no-audit --no-fund
COPY . .
USER node
CMD ["node", "tools/bin/rampart.js", "api"]
