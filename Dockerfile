# Aegis server image.   docker build -t aegis .
# (Not built in CI: the CI machine has no Docker engine. `docker-compose config -q` checks the compose file.)

# --- build: restore on the project files alone, so the restore layer is cached until a dependency changes ---
FROM mcr.microsoft.com/dotnet/sdk:10.0 AS build
WORKDIR /src
COPY global.json Directory.Build.props Directory.Packages.props ./
COPY src/Aegis.Core/Aegis.Core.csproj src/Aegis.Core/
COPY src/Aegis.Contracts/Aegis.Contracts.csproj src/Aegis.Contracts/
COPY src/Aegis.Storage/Aegis.Storage.csproj src/Aegis.Storage/
COPY src/Aegis.Server/Aegis.Server.csproj src/Aegis.Server/
RUN dotnet restore src/Aegis.Server/Aegis.Server.csproj --use-current-runtime
COPY protos/ protos/
COPY src/ src/
# ReadyToRun: a fresh replica serves at speed within seconds instead of JIT-compiling EF Core, Npgsql and gRPC under load.
RUN dotnet publish src/Aegis.Server/Aegis.Server.csproj -c Release --no-restore --use-current-runtime --self-contained false \
    -p:PublishReadyToRun=true -p:UseAppHost=false -o /app

# --- runtime: ASP.NET Core only, as the image's unprivileged `app` user ---
FROM mcr.microsoft.com/dotnet/aspnet:10.0
WORKDIR /app
COPY --from=build /app .
# The embedded SQLite folder (used only when no PostgreSQL is configured) must be writable by the app user.
RUN mkdir -p /data && chown "$APP_UID" /data
USER $APP_UID
# Containers listen beyond loopback: REST, /metrics, /docs and health on 8000, gRPC (h2c) on 8001.
# A container is reachable from other machines, so the trusted Tenant-Id header is OFF: callers use API keys.
ENV Aegis__ListenAddress=0.0.0.0 \
    Aegis__DataDir=/data \
    Aegis__Auth__TrustTenantHeader=false
VOLUME /data
EXPOSE 8000 8001
# Ready = the database answers and is migrated. The runtime image has no curl, so bash's /dev/tcp asks /readyz.
HEALTHCHECK --interval=10s --timeout=3s --start-period=30s --retries=3 \
  CMD ["bash", "-c", "exec 3<>/dev/tcp/127.0.0.1/8000 && printf 'GET /readyz HTTP/1.1\\r\\nHost: localhost\\r\\nConnection: close\\r\\n\\r\\n' >&3 && head -n 1 <&3 | grep -q ' 200 '"]
ENTRYPOINT ["dotnet", "Aegis.Server.dll"]
