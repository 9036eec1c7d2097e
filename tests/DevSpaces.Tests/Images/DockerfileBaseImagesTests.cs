using DevSpaces.Core.Images;

namespace DevSpaces.Tests.Images;

public class DockerfileBaseImagesTests
{
    [Test]
    public void Base_Images_Come_From_Arg_Defaults_Build_Args_And_Skip_Stages()
    {
        const string dockerfile = """
            ARG SDK=mcr.microsoft.com/dotnet/sdk:10.0
            ARG RUNTIME=mcr.microsoft.com/dotnet/aspnet:10.0
            FROM ${SDK} AS build
            RUN dotnet publish
            FROM --platform=linux/amd64 $RUNTIME
            COPY --from=build /out /app
            FROM build
            """;
        var images = DockerfileBaseImages.Find(dockerfile, new Dictionary<string, string> { ["RUNTIME"] = "devspaces.local/dotnet-aspnet:10.0" });
        Assert.That(images, Is.EqualTo(new[] { "mcr.microsoft.com/dotnet/sdk:10.0", "devspaces.local/dotnet-aspnet:10.0" }));
    }
}
