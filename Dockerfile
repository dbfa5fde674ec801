# Build: docker build -t tycostream-triggers .
# Run:   docker run -p 8080:8080 tycostream-triggers
FROM maven:3.9-eclipse-temurin-17 AS build
WORKDIR /build
COPY pom.xml .
COPY src ./src
RUN mvn -B -DskipTests package

FROM eclipse-temurin:17-jre
RUN groupadd --system tycostream && useradd --system --gid tycostream --home-dir /app tycostream
WORKDIR /app
COPY --from=build /build/target/tycostream-triggers-fat.jar /app/tycostream-triggers-fat.jar
COPY conf/ /app/conf/
# inside a container the admin server must listen on every interface to be reachable through -p
ENV TYCOSTREAM_ADMIN__HOST=0.0.0.0
EXPOSE 8080
USER tycostream
ENTRYPOINT ["java","-jar","/app/tycostream-triggers-fat.jar","/app/conf/config.yaml"]
