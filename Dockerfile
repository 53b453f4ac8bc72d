# A Debian 12 base image with aresolv enabled for every program in it.
#
#   docker build -t debian-aresolv .
#   docker run --rm debian-aresolv getent ahosts debian.org
#
# Stage 1 builds the .deb from this source tree; stage 2 installs it into a
# plain debian:12-slim and enables system-wide preloading with the packaged
# installer (scripts/install.sh, installed as /usr/sbin/aresolv-preload),
# which first checks that getent starts and resolves with the library.
# Use the second stage's three RUN lines in your own Dockerfile to add aresolv
# to another Debian-based image (copy the .deb in first). The recipe is tested
# without Docker by scripts/debootstrap-test.sh (same package, same steps, in
# a debootstrap root).

FROM debian:12 AS build
RUN apt-get update \
 && DEBIAN_FRONTEND=noninteractive apt-get install -y --no-install-recommends \
      ca-certificates cmake make g++ libc-ares-dev dpkg-dev file \
 && rm -rf /var/lib/apt/lists/*
COPY . /src
# CMAKE_INSTALL_PREFIX=/usr gives the Debian layout (lib/<multiarch>), which
# the /usr/$LIB/libaresolv.so preload entry relies on.
RUN cmake -S /src -B /build -DCMAKE_BUILD_TYPE=RelWithDebInfo \
      -DCMAKE_INSTALL_PREFIX=/usr -DARESOLV_BUILD_TESTS=OFF \
 && cmake --build /build -j"$(nproc)" --target aresolv aresolv_command \
 && cd /build && cpack -G DEB -B /packages \
 && mv /packages/aresolv_*.deb /packages/aresolv.deb

FROM debian:12-slim
COPY --from=build /packages/aresolv.deb /tmp/aresolv.deb
RUN apt-get update \
 && DEBIAN_FRONTEND=noninteractive apt-get install -y --no-install-recommends /tmp/aresolv.deb \
 && rm -rf /var/lib/apt/lists/* /tmp/aresolv.deb
RUN aresolv-preload enable && (aresolv doctor || true)
# Turn it off in a running container without rebuilding: touch /etc/aresolv/disable
