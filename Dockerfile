# syntax=docker/dockerfile:1
# haven: build a release binary, run it on a slim base.
FROM rust:1.95-bookworm AS build
WORKDIR /src
COPY . .
# Cache mounts keep the crates registry and the build directory between builds, so a change
# to haven's own code rebuilds haven, not its 400 dependencies.
RUN --mount=type=cache,target=/usr/local/cargo/registry \
    --mount=type=cache,target=/usr/local/cargo/git \
    --mount=type=cache,target=/src/target \
    cargo build --release --locked --bin haven \
 && cp target/release/haven /usr/local/bin/haven

FROM debian:bookworm-slim
RUN apt-get update \
 && apt-get install -y --no-install-recommends ca-certificates curl \
 && rm -rf /var/lib/apt/lists/* \
 && useradd --system --home /var/lib/haven --create-home haven
COPY --from=build /usr/local/bin/haven /usr/local/bin/haven
USER haven
WORKDIR /var/lib/haven
# Production defaults: no demo data, no GraphiQL, JSON logs. Ask for the others explicitly.
ENV HAVEN_LISTEN=0.0.0.0:8080 \
    HAVEN_SEED_DEMO=false \
    HAVEN_GRAPHIQL=false \
    HAVEN_LOG_FORMAT=json
EXPOSE 8080
STOPSIGNAL SIGTERM
HEALTHCHECK --interval=10s --timeout=3s CMD curl -fsS http://127.0.0.1:8080/healthz || exit 1
ENTRYPOINT ["haven"]
CMD ["serve"]
