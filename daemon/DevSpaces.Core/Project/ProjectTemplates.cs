using System.Text;

namespace DevSpaces.Core.Project;

/// <summary>
/// The files <c>devspaces prep</c> writes. Base images are build arguments with the public images as defaults, so a
/// cluster without a registry can pass local ones; the app listens on <see cref="Port"/> (also in <c>PORT</c>) and runs
/// as an unprivileged user that owns the app's folder, so synced files can be written there.
/// </summary>
public static class ProjectTemplates
{
    public const int Port = 8080;

    /// <summary>Numeric, so it needs no user entry in the image and satisfies <c>runAsNonRoot</c>.</summary>
    public const int UserId = 10001;

    /// <summary>The manifests' path for a service, relative to its folder.</summary>
    public static string ManifestPath(string service) => $"k8s/{service}.yaml";

    /// <summary>The base images a Dockerfile of this project takes as build arguments: name, public default, and the bundled cluster's local image (if it has one).</summary>
    public static IReadOnlyList<BaseImageArg> BaseImages(DetectedProject project)
    {
        var v = project.RuntimeVersion;
        return project.Runtime switch
        {
            ProjectRuntime.DotNet =>
            [
                new("SDK_IMAGE", $"mcr.microsoft.com/dotnet/sdk:{v}", v == "10.0" ? "devspaces.local/dotnet-sdk:10.0" : null),
                project.IsWeb
                    ? new("RUNTIME_IMAGE", $"mcr.microsoft.com/dotnet/aspnet:{v}", v == "10.0" ? "devspaces.local/dotnet-aspnet:10.0" : null)
                    : new("RUNTIME_IMAGE", $"mcr.microsoft.com/dotnet/runtime:{v}", v == "10.0" ? "devspaces.local/dotnet-aspnet:10.0" : null),
            ],
            ProjectRuntime.Node => [new("NODE_IMAGE", $"node:{v}-bookworm-slim", v == "20" ? "devspaces.local/node:20" : null)],
            _ => project.JavaBuild switch
            {
                JavaBuildTool.Maven => [new("BUILD_IMAGE", $"maven:3-eclipse-temurin-{v}", null), JreImage(v)],
                JavaBuildTool.Gradle => [new("BUILD_IMAGE", $"gradle:8-jdk{v}", null), JreImage(v)],
                _ => [new("JDK_IMAGE", $"eclipse-temurin:{v}-jdk", v == "17" ? "devspaces.local/java:17" : null), JreImage(v)],
            },
        };
    }

    private static BaseImageArg JreImage(string v) => new("JRE_IMAGE", $"eclipse-temurin:{v}-jre", v == "17" ? "devspaces.local/java:17" : null);

    public static string Dockerfile(DetectedProject project)
    {
        var text = new StringBuilder("# Written by devspaces prep. The base images are build arguments (see devspaces.yaml).\n");
        foreach (var arg in BaseImages(project))
        {
            text.Append($"ARG {arg.Name}={arg.Default}\n");
        }

        text.Append('\n');
        text.Append(project.Runtime switch
        {
            ProjectRuntime.DotNet => DotNetStages(project),
            ProjectRuntime.Node => NodeStage(project),
            _ => JavaStages(project),
        });
        return text.ToString();
    }

    private static string DotNetStages(DetectedProject project)
    {
        var copied = string.Join(' ', new[] { project.ProjectFile! }.Concat(project.RestoreFiles));
        return $$"""
            FROM ${SDK_IMAGE} AS build
            ENV DOTNET_CLI_TELEMETRY_OPTOUT=1 DOTNET_NOLOGO=1 DOTNET_SKIP_FIRST_TIME_EXPERIENCE=1
            WORKDIR /src
            COPY {{copied}} ./
            RUN dotnet restore {{project.ProjectFile}}
            COPY . .
            RUN dotnet publish {{project.ProjectFile}} --configuration Release --no-restore --output /out/app -p:UseAppHost=false

            FROM ${RUNTIME_IMAGE}
            ENV DOTNET_NOLOGO=1 ASPNETCORE_HTTP_PORTS={{Port}} PORT={{Port}}
            # Copying the folder itself makes the app's user own /app, so compiled output can be copied into it.
            COPY --from=build --chown={{UserId}}:{{UserId}} /out /
            WORKDIR /app
            EXPOSE {{Port}}
            USER {{UserId}}:{{UserId}}
            ENTRYPOINT ["dotnet", "{{project.Assembly}}"]

            """;
    }

    private static string NodeStage(DetectedProject project)
    {
        var install = project.InstallCommand is { } command ? $"RUN {command}\n" : "";
        var cmd = string.Join(", ", project.Command!.Select(c => $"\"{c}\""));
        return $$"""
            FROM ${NODE_IMAGE}
            ENV NODE_ENV=production PORT={{Port}}
            WORKDIR /app
            RUN chown {{UserId}}:{{UserId}} /app
            COPY --chown={{UserId}}:{{UserId}} package*.json ./
            {{install}}COPY --chown={{UserId}}:{{UserId}} . .
            EXPOSE {{Port}}
            USER {{UserId}}:{{UserId}}
            CMD [{{cmd}}]

            """;
    }

    private static string JavaStages(DetectedProject project)
    {
        var build = project.JavaBuild switch
        {
            JavaBuildTool.Maven => """
                FROM ${BUILD_IMAGE} AS build
                WORKDIR /src
                COPY . .
                RUN mvn --batch-mode --quiet package -DskipTests \
                 && mkdir -p /out/app && cp "$(ls target/*.jar | grep -v -e '-sources.jar$' -e '-javadoc.jar$' | head -n 1)" /out/app/app.jar
                """,
            JavaBuildTool.Gradle => """
                FROM ${BUILD_IMAGE} AS build
                WORKDIR /src
                COPY . .
                RUN gradle --no-daemon --quiet build -x test \
                 && mkdir -p /out/app && cp "$(ls build/libs/*.jar | grep -v -e '-plain.jar$' | head -n 1)" /out/app/app.jar
                """,
            _ => $$"""
                FROM ${JDK_IMAGE} AS build
                WORKDIR /src
                COPY . .
                RUN mkdir -p /classes /out/app \
                 && javac -g --release {{project.RuntimeVersion}} -d /classes $(find . -name '*.java' -not -path './target/*' -not -path './build/*' -not -path './out/*' -not -path './.devspaces/*') \
                 && jar --create --file /out/app/app.jar --main-class {{project.MainClass}} -C /classes .
                """,
        };

        // Plain Java puts /app/classes first on the class path: classes compiled on this machine are copied there.
        var entrypoint = project.JavaBuild == JavaBuildTool.Plain
            ? $"\"java\", \"-XX:MaxRAMPercentage=75\", \"-cp\", \"/app/classes:/app/*\", \"{project.MainClass}\""
            : "\"java\", \"-XX:MaxRAMPercentage=75\", \"-jar\", \"/app/app.jar\"";
        return $$"""
            {{build}}

            FROM ${JRE_IMAGE}
            ENV PORT={{Port}}
            # Copying the folder itself makes the app's user own /app, so synced files can be written there.
            COPY --from=build --chown={{UserId}}:{{UserId}} /out /
            WORKDIR /app
            EXPOSE {{Port}}
            USER {{UserId}}:{{UserId}}
            ENTRYPOINT [{{entrypoint}}]

            """;
    }

    public static string DockerIgnore(DetectedProject project)
    {
        var common = "# Written by devspaces prep: what the image build does not need.\n.git\n.devspaces\nk8s\ndevspaces.yaml\n";
        return common + project.Runtime switch
        {
            ProjectRuntime.DotNet => "**/bin\n**/obj\n.vs\n*.user\n",
            ProjectRuntime.Node => "node_modules\nnpm-debug.log*\n",
            _ => "target\nbuild\nout\n.gradle\n",
        };
    }

    public static string Manifests(string service, int port) => $$"""
        # The service '{{service}}', written by devspaces prep. DevSpaces replaces the image '{{service}}' with the one it builds.
        apiVersion: apps/v1
        kind: Deployment
        metadata:
          name: {{service}}
          labels:
            app.kubernetes.io/name: {{service}}
        spec:
          replicas: 1
          selector:
            matchLabels:
              app.kubernetes.io/name: {{service}}
          template:
            metadata:
              labels:
                app.kubernetes.io/name: {{service}}
            spec:
              securityContext:
                runAsNonRoot: true
                runAsUser: {{UserId}}
                runAsGroup: {{UserId}}
              containers:
                - name: {{service}}
                  image: {{service}}
                  imagePullPolicy: IfNotPresent
                  ports:
                    - name: http
                      containerPort: {{port}}
                  env:
                    - name: PORT
                      value: "{{port}}"
                    - name: POD_NAMESPACE
                      valueFrom:
                        fieldRef:
                          fieldPath: metadata.namespace
                  readinessProbe:
                    tcpSocket:
                      port: http
                    periodSeconds: 2
                  resources:
                    requests:
                      cpu: 25m
                      memory: 64Mi
                    limits:
                      memory: 512Mi
                  securityContext:
                    allowPrivilegeEscalation: false
                    capabilities:
                      drop: ["ALL"]
        ---
        apiVersion: v1
        kind: Service
        metadata:
          name: {{service}}
          labels:
            app.kubernetes.io/name: {{service}}
        spec:
          selector:
            app.kubernetes.io/name: {{service}}
          ports:
            - name: http
              port: 80
              targetPort: http

        """;

    /// <summary><c>devspaces.yaml</c>; <paramref name="args"/> are the build arguments the Dockerfile declares.</summary>
    public static string DevSpacesYaml(DetectedProject project, string service, int port, IReadOnlyList<BaseImageArg> args)
    {
        var text = new StringBuilder();
        text.Append($$"""
            # How DevSpaces builds, deploys and updates the service '{{service}}' (written by devspaces prep).
            # Paths are relative to this file's folder. Check it with: devspaces project check
            version: 1
            service: {{service}}

            build:
              context: .
              dockerfile: Dockerfile

            """);
        if (args.Count > 0)
        {
            text.Append("  args:\n");
            foreach (var arg in args)
            {
                text.Append($"    {arg.Name}: {arg.Default}");
                text.Append(arg.Local != null ? $"    # on the bundled cluster: {arg.Local}\n" : "\n");
            }
        }

        text.Append($$"""

            deploy:
              manifests:
                - {{ManifestPath(service)}}
              container: {{service}}

            """);
        text.Append(project.Runtime switch
        {
            ProjectRuntime.DotNet => $$"""

                run:
                  workingDir: /app
                  # Code changes are compiled on this machine, and only the output files that changed are copied into
                  # /app; the app restarts in the same pod. After a first build, edits of existing .cs files are compiled
                  # by the C# compiler alone with that build's command line. Without the .NET SDK here, they rebuild the
                  # image instead.
                  compile:
                    command: [dotnet, build, "{{project.ProjectFile}}", --configuration, Release, --output, .devspaces/build, --nologo, --verbosity, quiet, -p:UseAppHost=false, -p:UseSharedCompilation=true]
                    output: .devspaces/build

                # Static files and settings are copied into the running container.
                sync:
                  to: /app
                  files:
                    - "wwwroot/**"
                    - "appsettings*.json"

                updates:
                  - files: ["wwwroot/**"]
                    action: copy
                  - files: ["appsettings*.json"]
                    action: restart
                  - files: ["**/*.cs", "**/*.razor", "**/*.cshtml", "!**/bin/**", "!**/obj/**"]
                    action: compile
                  - files: ["**/*.csproj", "**/*.props", "**/*.targets", Dockerfile, "k8s/**", "!**/bin/**", "!**/obj/**"]
                    action: rebuild

                """,
            ProjectRuntime.Node => $$"""

                run:
                  workingDir: /app
                  command: [{{string.Join(", ", project.Command!)}}]

                sync:
                  to: /app
                  files:
                    - "**"
                    - "!node_modules/**"
                    - "!k8s/**"

                updates:
                  - files: [Dockerfile, .dockerignore, package.json, package-lock.json, "k8s/**"]
                    action: rebuild
                  - files: ["**/*.js", "**/*.mjs", "**/*.cjs", "**/*.json"]
                    action: restart
                  - files: ["**"]
                    action: copy

                """,
            _ when project.JavaBuild == JavaBuildTool.Plain => $$"""

                run:
                  workingDir: /app
                  # Code changes are compiled on this machine with the JDK's javac (in a compile server up keeps warm; the
                  # -J option applies when javac runs as a process), and only the classes that changed are
                  # copied into /app/classes, first on the image's class path; the JVM restarts in the same pod. Without a
                  # JDK here, they rebuild the image instead.
                  compile:
                    command: [javac, -J-XX:TieredStopAtLevel=1, -g, --release, "{{project.RuntimeVersion}}", -d, .devspaces/build/classes, -sourcepath, "{{project.SourceRoot}}", "{{project.MainSource}}"]
                    output: .devspaces/build

                # No file is copied as it is: the compiled classes are (run.compile).
                sync:
                  to: /app
                  files: ["!**"]

                updates:
                  - files: ["**/*.java", "!target/**", "!build/**", "!out/**"]
                    action: compile
                  - files: ["**", "!target/**", "!build/**", "!out/**", "!.gradle/**"]
                    action: rebuild

                """,
            _ => """

                run:
                  workingDir: /app

                # Java code is compiled into the image: every change rebuilds it.
                updates:
                  - files: ["**", "!target/**", "!build/**", "!out/**", "!.gradle/**"]
                    action: rebuild

                """,
        });
        text.Append($$"""

            forward:
              port: {{port}}

            """);
        return text.ToString();
    }
}
