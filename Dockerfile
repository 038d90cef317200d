# Images for the two containers of the Pod (targets `app` and `sidecar`) and
# the infra container of the docker-compose Pod (target `pause`).
#
# The bases are build args. Their defaults are the official Node 24 images;
# where no registry is reachable, scripts/host/build-offline-bases.sh builds
# local stand-ins and the harness passes them instead.
ARG BUILD_BASE=node:24-bookworm
ARG RUNTIME_BASE=node:24-bookworm-slim

FROM ${BUILD_BASE} AS build
WORKDIR /src
# Headers ship with Node in both bases: node-gyp builds posix-mq without downloading them.
ENV npm_config_nodedir=/usr/local
# Optional extra CA certificates (PEM) for networks that intercept TLS; the
# harness passes the host's locally added ones. Used by `npm ci` in this stage
# only, never shipped.
ARG EXTRA_CA_CERTS=""
# npm ci applies patches/ (patch-package, in postinstall) and rebuilds posix-mq
# from the patched source. This stage installs the dev dependencies too (tsc)
# and prunes them below; patch-package is a production dependency, so a plain
# `npm ci --omit=dev` applies the patches just the same.
COPY package.json package-lock.json ./
COPY patches ./patches
RUN if [ -n "$EXTRA_CA_CERTS" ]; then \
      printf '%s\n' "$EXTRA_CA_CERTS" > /tmp/extra-ca.pem; \
      export NODE_EXTRA_CA_CERTS=/tmp/extra-ca.pem; \
    fi; \
    npm ci --no-audit --no-fund && rm -f /tmp/extra-ca.pem
COPY tsconfig.json tsconfig.base.json tsconfig.page.json ./
COPY apps ./apps
# The services and the page script (scripts/ and test/ are not in the image).
RUN npm run build
RUN npm prune --omit=dev --no-audit --no-fund \
 && gcc -static -Os -s -o /pause apps/pause/pause.c

FROM scratch AS pause
COPY --from=build /pause /pause
USER 65535:65535
ENTRYPOINT ["/pause"]

FROM ${RUNTIME_BASE} AS runtime
WORKDIR /srv/podmates
ENV NODE_ENV=production
COPY --from=build /src/package.json ./
COPY --from=build /src/node_modules ./node_modules
COPY --from=build /src/dist/apps ./dist/apps
# The app's live page: its static files as written (its script is in dist/).
COPY apps/app/page/index.html apps/app/page/page.css apps/app/page/favicon.svg ./apps/app/page/
# The containers' exec health probe (executable in the tree, and so here).
COPY apps/health/health.sh ./apps/health/health.sh
# The app's journal goes to /state, where the Pod mounts its emptyDir (compose:
# a named volume, which starts with this folder's owner); /shared is where both
# containers mount the Pod's other emptyDir. Owned by the service UID so a
# volume that copies them is writable without a chown at run time.
RUN mkdir /state /shared && chown 10001:10001 /state /shared && chmod 0700 /state /shared
ENV STATE_DIR=/state
# Both containers run as the same non-root UID: each must open the queues the
# other created (mode 0600). No passwd entry is needed for a numeric UID.
USER 10001:10001

FROM runtime AS sidecar
CMD ["node", "dist/apps/sidecar/main.js"]

FROM runtime AS app
EXPOSE 8080
CMD ["node", "dist/apps/app/main.js"]
