using System.Text.Json;

namespace DevSpacesSample.Api;

/// <summary>Calls the quotes service; failures surface as <see cref="QuotesUnavailableException"/>.</summary>
public sealed class QuotesClient(HttpClient http)
{
    public async Task<JsonElement> GetQuoteAsync(CancellationToken cancellationToken)
    {
        var url = new Uri(http.BaseAddress!, "quote");
        HttpResponseMessage response;
        try
        {
            response = await http.GetAsync(url, cancellationToken);
        }
        catch (HttpRequestException e)
        {
            throw new QuotesUnavailableException($"quotes service unreachable at {url}: {e.Message}", e);
        }
        catch (TaskCanceledException e) when (!cancellationToken.IsCancellationRequested)
        {
            throw new QuotesUnavailableException($"quotes service at {url} did not answer within {http.Timeout.TotalSeconds:0}s", e);
        }

        using (response)
        {
            var body = await response.Content.ReadAsStringAsync(cancellationToken);
            if (!response.IsSuccessStatusCode)
            {
                throw new QuotesUnavailableException(
                    $"quotes service at {url} answered {(int)response.StatusCode}: {Truncate(body)}", null);
            }

            try
            {
                using var document = JsonDocument.Parse(body);
                return document.RootElement.Clone();
            }
            catch (JsonException e)
            {
                throw new QuotesUnavailableException($"quotes service at {url} returned invalid JSON: {Truncate(body)}", e);
            }
        }
    }

    private static string Truncate(string text) => text.Length <= 200 ? text : text[..200] + "...";
}
