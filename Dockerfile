# Build: docker build -t tycostream-triggers .
# Run:   docker run -p 8080:8080 -v tycostream-data:/var/lib/tycostream tycostream-triggers
#        (conf/production.yaml: https-only webhooks, no internal targets, no demo; configure sources through the
#        environment or mount your own file and pass its path as the argument)
# Demo:  docker run -p 8080:8080 -e TYCOSTREAM_ADMIN__HOST=0.0.0.0 -e TYCOSTREAM_DATA_DIR=/var/lib/tycostream \
#          tycostream-triggers /app/conf/config.yaml
FROM maven:3.9-eclipse-temurin-17 AS build
WORKDIR /build
COPY pom.xml .
COPY src ./src
RUN mvn -B -DskipTests package

FROM eclipse-temurin:17-jre
RUN groupadd --system tycostream && useradd --system --gid tycostream --home-dir /app tycostream \
    && mkdir -p /var/lib/tycostream && chown tycostream:tycostream /var/lib/tycostream && chmod 0700 /var/lib/tycostream
WORKDIR /app
COPY --from=build /build/target/tycostream-triggers-fat.jar /app/tycostream-triggers-fat.jar
COPY conf/ /app/conf/
VOLUME /var/lib/tycostream
EXPOSE 8080
USER tycostream
ENTRYPOINT ["java","-jar","/app/tycostream-triggers-fat.jar"]
CMD ["/app/conf/production.yaml"]
