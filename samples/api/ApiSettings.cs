namespace DevSpacesSample.Api;

/// <summary>Settings read from the environment; <see cref="Error"/> says what is wrong, if anything.</summary>
public sealed record ApiSettings(int Port, Uri QuotesUrl, string Version, string Space, string? Error)
{
    public static ApiSettings FromEnvironment(Func<string, string?> env)
    {
        var version = NonBlank(env("SERVICE_VERSION")) ?? "1.0.0";
        var space = NonBlank(env("DEVSPACES_SPACE")) ?? NonBlank(env("POD_NAMESPACE")) ?? "local";
        var fallbackUrl = new Uri("http://quotes/");

        var portText = NonBlank(env("PORT"));
        var port = 8080;
        if (portText is not null && (!int.TryParse(portText, out port) || port is < 1 or > 65535))
        {
            return new ApiSettings(8080, fallbackUrl, version, space,
                $"PORT must be a number between 1 and 65535, got '{portText}'");
        }

        var urlText = NonBlank(env("QUOTES_URL")) ?? "http://quotes";
        if (!Uri.TryCreate(urlText, UriKind.Absolute, out var url) || (url.Scheme != "http" && url.Scheme != "https"))
        {
            return new ApiSettings(port, fallbackUrl, version, space,
                $"QUOTES_URL must be an absolute http(s) URL such as http://quotes or http://127.0.0.1:8082, got '{urlText}'");
        }

        // A trailing slash keeps a path prefix in QUOTES_URL when relative paths are resolved against it.
        if (!url.AbsolutePath.EndsWith('/'))
        {
            url = new Uri(url.AbsoluteUri + "/");
        }

        return new ApiSettings(port, url, version, space, null);
    }

    private static string? NonBlank(string? value) => string.IsNullOrWhiteSpace(value) ? null : value.Trim();
}
