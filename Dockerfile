# The worker image: Node 20, the project's own dependencies (npm ci), TypeScript run by tsx.
FROM node:20-bookworm-slim
WORKDIR /app
ENV NODE_ENV=production
# A larger young generation: a scan allocates short-lived rows fast (bench/scan.ts, BENCHMARKS.md).
ENV NODE_OPTIONS=--max-semi-space-size=32
COPY package.json package-lock.json ./
COPY scripts ./scripts
COPY prisma ./prisma
COPY prisma.config.ts tsconfig.json ./
COPY src/db/migration-adapter.ts ./src/db/migration-adapter.ts
RUN npm ci --omit=dev --no-audit --no-fund && npm cache clean --force
COPY . .
USER node
# /livez, /readyz and /metrics (bind 0.0.0.0 inside the container; publish only where you mean to).
EXPOSE 9464
ENTRYPOINT ["node", "bin/sro.js"]
CMD ["worker"]
