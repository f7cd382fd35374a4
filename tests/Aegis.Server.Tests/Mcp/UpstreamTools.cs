using System.ComponentModel;
using ModelContextProtocol.Server;

namespace Aegis.Server.Tests.Mcp;

/// <summary>The test upstream's tools: a side effect worth gating and a harmless one, both counting their invocations.</summary>
[McpServerToolType]
public sealed class UpstreamTools(UpstreamCalls calls)
{
    /// <summary>send_email: the gated side effect. Slow enough that concurrent callers overlap it.</summary>
    [McpServerTool(Name = "send_email")]
    [Description("Sends an email.")]
    public async Task<string> SendEmail([Description("Recipient.")] string to, [Description("Body.")] string body)
    {
        var n = calls.Record("send_email", to);
        await Task.Delay(200);
        return $"sent #{n} to {to}: {body}";
    }

    /// <summary>echo: ungated.</summary>
    [McpServerTool(Name = "echo")]
    [Description("Echoes its text.")]
    public string Echo([Description("Text to echo.")] string text)
    {
        calls.Record("echo", text);
        return "echo: " + text;
    }
}
