#!/usr/bin/env bash
# Pinned tool versions for hack/tools.sh and hack/sim-cluster.sh. Source it.
# All are built from source through the Go module proxy with the local Go (1.26).
# shellcheck shell=bash disable=SC2034
# k8s.io/kubernetes release; staging modules (k8s.io/api, ...) use v0.<minor>.<patch>.
K8S_VERSION="${CHOPSTICKS_K8S_VERSION:-v1.34.12}"
ETCD_VERSION="${CHOPSTICKS_ETCD_VERSION:-v3.6.16}"
KWOK_VERSION="${CHOPSTICKS_KWOK_VERSION:-v0.8.0}"
HELM_VERSION="${CHOPSTICKS_HELM_VERSION:-v3.22.0}"
# kind for hack/kind-e2e.sh (only used on hosts with Docker).
KIND_VERSION="${CHOPSTICKS_KIND_VERSION:-v0.30.0}"
