# Aegis server image. Build: docker build -t aegis .   (not built in CI: the CI machine has no Docker engine)
FROM mcr.microsoft.com/dotnet/sdk:10.0 AS build
WORKDIR /src
COPY . .
RUN dotnet publish src/Aegis.Server -c Release -o /app

FROM mcr.microsoft.com/dotnet/aspnet:10.0
WORKDIR /app
COPY --from=build /app .
# Containers must listen beyond loopback; REST and health on 8000, gRPC (h2c) on 8001.
ENV Aegis__ListenAddress=0.0.0.0 \
    Aegis__DataDir=/data
VOLUME /data
EXPOSE 8000 8001
ENTRYPOINT ["dotnet", "Aegis.Server.dll"]
