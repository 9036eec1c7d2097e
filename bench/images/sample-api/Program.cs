var app = WebApplication.CreateBuilder(args).Build();
app.MapGet("/", () => "hello from the image benchmark");
app.MapGet("/time", () => DateTimeOffset.UtcNow);
app.Run();
