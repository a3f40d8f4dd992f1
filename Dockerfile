# The worker image: Node 20 running the compiled build (dist/); no TypeScript toolchain at run time.
# Build stage: every dependency, the generated Prisma client, `tsc` into dist/.
FROM node:20-bookworm-slim AS build
WORKDIR /app
COPY package.json package-lock.json ./
COPY scripts ./scripts
COPY prisma ./prisma
COPY prisma.config.ts tsconfig.json tsconfig.build.json ./
COPY src ./src
COPY jobs ./jobs
# postinstall generates the Prisma client and builds dist/.
RUN npm ci --no-audit --no-fund

# Run stage: production dependencies only, the build, and what `sro migrate` reads.
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
COPY --from=build /app/dist ./dist
COPY --from=build /app/src/generated ./src/generated
COPY bin ./bin
COPY examples ./examples
COPY schema ./schema
# The console's templates and style sheet (sro web).
COPY views ./views
USER node
# /livez, /readyz and /metrics (bind 0.0.0.0 inside the container; publish only where you mean to).
EXPOSE 9464
# sro web: the console.
EXPOSE 8080
# sro bounces: SMTP for the alerts' bounces (BOUNCE_SMTP_PORT; publish host port 25 to it).
EXPOSE 2525
ENTRYPOINT ["node", "bin/sro.js"]
CMD ["worker"]
