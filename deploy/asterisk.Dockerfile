# Asterisk 22 for the Welcomedly Dialer: the stock image plus the sounds the dialplan plays.
# Build from the repository root:
#   docker build -f deploy/asterisk.Dockerfile -t welcomedly/asterisk:22 .
# Stage 1 generates asterisk-config/sounds/sounds.conf (espeak-ng + sox, Debian packages) into an
# Asterisk data directory; stage 2 copies it into the image's astdatadir (/var/lib/asterisk), so
# sounds/en/safe-harbor-default.wav and the music-on-hold class "dialer" (moh/dialer/) exist.
# The configuration files themselves are mounted at run time (docker-compose.yml).
FROM debian:12-slim AS sounds
RUN apt-get update \
 && apt-get install -y --no-install-recommends espeak-ng sox \
 && rm -rf /var/lib/apt/lists/*
COPY asterisk-config/sounds /src/sounds
RUN bash /src/sounds/generate-sounds.sh /out

FROM andrius/asterisk:22
COPY --from=sounds /out/ /var/lib/asterisk/
