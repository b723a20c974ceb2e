#!/usr/bin/env bash
# Installs what LoadLab needs to build, test and run on Debian 12, using Debian's packages
# only. Run as root (or with sudo). Does nothing when everything is already there.
set -euo pipefail
# Note: qt6-charts-dev needs libqt6opengl6-dev for its CMake config but does not depend on it.

packages=(
  build-essential cmake ninja-build pkg-config git
  qt6-base-dev qt6-charts-dev qt6-svg-dev libgl-dev libqt6opengl6-dev
  libboost-dev nlohmann-json3-dev libcli11-dev libfmt-dev libzstd-dev
  libgtest-dev libgmock-dev libbenchmark-dev
  xvfb xauth
  desktop-file-utils appstream help2man dpkg-dev file
  clang-14 libclang-rt-14-dev clang-format-14
  nginx-light haproxy wrk
  slurm-wlm munge
)

missing=()
for p in "${packages[@]}"; do
  dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed" || missing+=("$p")
done

if ((${#missing[@]} == 0)); then
  echo "install-deps: all ${#packages[@]} packages present"
  exit 0
fi

if [[ $(id -u) -ne 0 ]]; then
  sudo=sudo
else
  sudo=
fi
echo "install-deps: installing ${missing[*]}"
# nginx, HAProxy and Slurm (slurmctld, slurmd and munged, for the one-node cluster of
# tests/slurm_sweep_test.sh) are programs the tests start themselves, on ports they pick;
# their packages would start system-wide daemons on fixed ports (or fail to, without an init
# system). A policy-rc.d that says "no" keeps the packages from starting anything.
policy=/usr/sbin/policy-rc.d
own_policy=false
if [[ ! -e $policy ]]; then
  printf '#!/bin/sh\nexit 101\n' | $sudo tee "$policy" >/dev/null
  $sudo chmod 755 "$policy"
  own_policy=true
fi
trap '[[ $own_policy == true ]] && $sudo rm -f "$policy"' EXIT
$sudo apt-get update -qq
DEBIAN_FRONTEND=noninteractive $sudo apt-get install -y -qq --no-install-recommends "${missing[@]}"
