# One image, two modes: `web` or `worker` as the first argument.

ARG DOTNET_VERSION=10.0

# The build stage runs on the builder's own platform and cross-compiles for the target (`-a $TARGETARCH`): a
# multi-platform buildx build of linux/arm64 on an amd64 runner emulates nothing. BuildKit sets BUILDPLATFORM and
# TARGETARCH; the legacy builder sets neither, and builds for linux/amd64.
# ReadyToRun: the assemblies carry precompiled code for that architecture (crossgen2 runs on the builder), so a pod
# starts and reaches full speed without JIT-compiling most of what it runs. Measured in docs/performance.md: ready
# sooner, less CPU per event while a fresh process warms up, and less non-reclaimable memory (the JIT's code and
# its W^X mappings), for a larger image (about 29 MB more of file-backed, reclaimable code).
FROM --platform=${BUILDPLATFORM:-linux/amd64} mcr.microsoft.com/dotnet/sdk:${DOTNET_VERSION} AS build
ARG TARGETARCH
WORKDIR /src
# Restore in its own layer: it only reruns when a project file or a package version changes.
COPY global.json Directory.Build.props Directory.Packages.props .editorconfig ./
COPY contracts/Kuberollouttrigger.Contracts.csproj contracts/
COPY transport/Kuberollouttrigger.Transport.csproj transport/
COPY services/common/Kuberollouttrigger.Common.csproj services/common/
COPY services/ingress/Kuberollouttrigger.Ingress.csproj services/ingress/
COPY services/rollout-worker/Kuberollouttrigger.RolloutWorker.csproj services/rollout-worker/
COPY services/host/Kuberollouttrigger.Host.csproj services/host/
RUN dotnet restore services/host/Kuberollouttrigger.Host.csproj -a ${TARGETARCH:-amd64} -p:PublishReadyToRun=true
COPY contracts/ contracts/
COPY transport/ transport/
COPY services/ services/
ARG VERSION=0.1.0
RUN dotnet publish services/host/Kuberollouttrigger.Host.csproj -c Release --no-restore -o /app -a ${TARGETARCH:-amd64} \
      --self-contained false -p:PublishReadyToRun=true -p:Version=${VERSION} -p:DebugType=none -p:GenerateDocumentationFile=false

# Chiseled: no shell, no package manager, non-root by default.
FROM mcr.microsoft.com/dotnet/aspnet:${DOTNET_VERSION}-noble-chiseled AS runtime
ARG VERSION=0.1.0
# Set by the release workflow to the repository URL and the project's licence.
ARG SOURCE_URL=""
ARG LICENSES="MIT"
LABEL org.opencontainers.image.title="kuberollouttrigger" \
      org.opencontainers.image.description="Restart exactly the Kubernetes Deployments that run an image CI just pushed" \
      org.opencontainers.image.source="${SOURCE_URL}" \
      org.opencontainers.image.version="${VERSION}" \
      org.opencontainers.image.licenses="${LICENSES}"
WORKDIR /app
COPY --from=build /app ./
# Workstation GC without the background collector: with it the web mode spent somewhat less CPU per event, but the
# worker's first list of a large cluster took half as long again (docs/performance.md).
# No diagnostics IPC: nothing is written outside /tmp, and the root filesystem can be read-only.
ENV DOTNET_gcServer=0 \
    DOTNET_gcConcurrent=0 \
    DOTNET_EnableDiagnostics=0 \
    DOTNET_CLI_TELEMETRY_OPTOUT=1
USER 1654:1654
EXPOSE 8080 8081
ENTRYPOINT ["/app/kuberollouttrigger"]
CMD ["--help"]
