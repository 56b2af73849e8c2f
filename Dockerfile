# rollcall container image: `docker build -t rollcall .` (or any OCI builder that reads a Dockerfile).
# Stage 1 builds the application jar with the Maven wrapper; stage 2 is a JRE, a non-root user
# and the same launcher (`rollcall`) as on a workstation.
FROM eclipse-temurin:17-jdk AS build
WORKDIR /src
COPY .mvn/ .mvn/
COPY mvnw pom.xml ./
COPY schemas/ schemas/
COPY topology/ topology/
COPY tools/pom.xml tools/pom.xml
COPY bench-flink/pom.xml bench-flink/pom.xml
COPY connectors/pom.xml connectors/pom.xml
COPY connectors/apicurio-converter/pom.xml connectors/apicurio-converter/pom.xml
COPY integration-tests/pom.xml integration-tests/pom.xml
COPY integration-tests/previous-release/pom.xml integration-tests/previous-release/pom.xml
RUN ./mvnw -B -ntp -DskipTests -pl topology -am package
# Only the RocksDB native library of the image's own platform (see k8s/image/slim-jar.sh).
COPY k8s/image/slim-jar.sh k8s/image/slim-jar.sh
RUN apt-get update -qq && apt-get install -y -qq zip unzip >/dev/null \
 && k8s/image/slim-jar.sh topology/target/rollcall.jar "$(dpkg --print-architecture)"

FROM eclipse-temurin:17-jre
RUN groupadd --gid 10001 rollcall \
 && useradd --uid 10001 --gid 10001 --home-dir /var/lib/rollcall --shell /usr/sbin/nologin rollcall \
 && mkdir -p /var/lib/rollcall /opt/rollcall/topology/target \
 && chown rollcall:rollcall /var/lib/rollcall
COPY --from=build /src/topology/target/rollcall.jar /opt/rollcall/topology/target/rollcall.jar
COPY rollcall /opt/rollcall/rollcall
ENV ROLLCALL_STATE_DIR=/var/lib/rollcall/state
# The launcher keeps its class data sharing archive beside the state (a volume in the StatefulSet).
ENV ROLLCALL_CDS_DIR=/var/lib/rollcall/cds
USER 10001:10001
WORKDIR /var/lib/rollcall
EXPOSE 8080
ENTRYPOINT ["/opt/rollcall/rollcall"]
CMD ["serve"]
