# authbin's container image: `docker build -t authbin .`, then
#   docker run -d --name authbin -p 8787:8787 -e AUTHBIN_TOKEN=… -v authbin-data:/data authbin
# Debian's own Node.js (20.19), so the image builds from Debian's packages and the npm registry alone.

# Build: compile better-sqlite3 against Debian's Node, build the server and the UI, then keep only
# the production dependencies.
FROM debian:trixie-slim AS build
RUN apt-get update \
 && apt-get install -y --no-install-recommends nodejs npm libnode-dev python3 make g++ ca-certificates \
 && rm -rf /var/lib/apt/lists/*
# Behind a TLS-intercepting proxy: its CA certificates (deploy/extra-ca/*.crt, none by default) are
# trusted by npm in this stage only.
COPY deploy/extra-ca/ /usr/local/share/ca-certificates/extra/
RUN update-ca-certificates
ENV NODE_OPTIONS=--use-openssl-ca npm_config_nodedir=/usr npm_config_update_notifier=false
WORKDIR /src
COPY package.json package-lock.json ./
RUN npm ci --no-audit --no-fund
COPY . .
RUN node scripts/build.mjs \
 && npm prune --omit=dev --no-audit --no-fund \
 && cd node_modules/better-sqlite3 \
 && rm -rf deps src build/Release/obj build/Release/obj.target build/Release/.deps build/Release/test_extension.node build/deps

# Run: Node and the built app, nothing else (no compilers, no npm, no dev dependencies).
FROM debian:trixie-slim
RUN apt-get update \
 && apt-get install -y --no-install-recommends nodejs \
 && rm -rf /var/lib/apt/lists/* \
 && useradd --system --uid 10001 --user-group --home-dir /data --no-create-home authbin \
 && mkdir /data && chown authbin:authbin /data
WORKDIR /app
COPY --from=build /src/package.json ./
COPY --from=build /src/node_modules ./node_modules
COPY --from=build /src/dist/server ./dist/server
COPY --from=build /src/dist/shared ./dist/shared
COPY --from=build /src/dist/web ./dist/web
ENV NODE_ENV=production HOST=0.0.0.0 PORT=8787 AUTHBIN_DB=/data/authbin.db
USER authbin
VOLUME /data
EXPOSE 8787
HEALTHCHECK --interval=30s --timeout=5s --start-period=10s \
  CMD ["node", "-e", "fetch('http://127.0.0.1:' + process.env.PORT + '/healthz').then((r) => process.exit(r.ok ? 0 : 1), () => process.exit(1))"]
# Node is PID 1 and handles SIGTERM itself: it drains, checkpoints the WAL and exits 0.
ENTRYPOINT ["node", "/app/dist/server/cli/main.js"]
