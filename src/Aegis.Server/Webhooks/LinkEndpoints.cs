using System.Text;
using System.Text.Encodings.Web;
using Aegis.Core.Actions;
using Aegis.Core.Exceptions;
using Aegis.Core.Links;
using Aegis.Core.Observability;

namespace Aegis.Server.Webhooks;

/// <summary>
/// The one-click decision link pages on the REST port: <c>GET /links/{token}</c> shows what the link would decide
/// and a confirmation form, deciding nothing (chat tools' link scanners open every link they see); only the form's
/// <c>POST</c> decides. A link that is invalid, expired, used, for a changed payload or for a decided action answers
/// a 4xx page that says why. Every value is HTML-encoded; the pages carry a strict Content-Security-Policy with no
/// script and no style at all, are never cached, and send no Referer (the token is in the URL).
/// </summary>
public static class LinkEndpoints
{
    private const string Csp = "default-src 'none'; form-action 'self'; frame-ancestors 'none'; base-uri 'none'";

    /// <summary>Maps the GET and POST of <c>/links/{token}</c>.</summary>
    public static WebApplication MapDecisionLinks(this WebApplication app)
    {
        app.MapGet(DecisionLinks.PathPrefix + "{token}", async (string token, DecisionLinks links, HttpContext http) =>
        {
            var check = await links.InspectAsync(token, http.RequestAborted);
            await WriteAsync(http, check.Refusal is { } r ? StatusOf(r) : StatusCodes.Status200OK, check.Refusal is null ? ConfirmPage(check, token) : RefusalPage(check));
        }).ExcludeFromDescription();

        app.MapPost(DecisionLinks.PathPrefix + "{token}", async (string token, DecisionLinks links, HttpContext http) =>
        {
            string? comment = null;
            if (http.Request.HasFormContentType)
            {
                var form = await http.Request.ReadFormAsync(http.RequestAborted);
                comment = form["comment"].FirstOrDefault();
            }

            LinkCheck check;
            try
            {
                check = await links.ConfirmAsync(token, comment, http.RequestAborted);
            }
            catch (InvalidInputException e)
            {
                await WriteAsync(http, StatusCodes.Status400BadRequest, Page("Not decided", $"<p>{Enc(e.Message)}</p>"));
                return;
            }

            AegisMetrics.LinkConfirmed(check.Refusal is { } refusal ? Snake(refusal) : "decided");
            await WriteAsync(http, check.Refusal is { } r ? StatusOf(r) : StatusCodes.Status200OK, check.Refusal is null ? DecidedPage(check) : RefusalPage(check));
        }).ExcludeFromDescription();
        return app;
    }

    private static int StatusOf(LinkRefusal refusal) => refusal switch
    {
        LinkRefusal.Invalid or LinkRefusal.NotFound => StatusCodes.Status404NotFound,
        LinkRefusal.Expired or LinkRefusal.DeadlinePassed => StatusCodes.Status410Gone,
        _ => StatusCodes.Status409Conflict,
    };

    private static async Task WriteAsync(HttpContext http, int status, string html)
    {
        var headers = http.Response.Headers;
        http.Response.StatusCode = status;
        http.Response.ContentType = "text/html; charset=utf-8";
        headers.ContentSecurityPolicy = Csp;
        headers.CacheControl = "no-store";
        headers.XContentTypeOptions = "nosniff";
        headers.XFrameOptions = "DENY";
        headers["Referrer-Policy"] = "no-referrer";
        headers["X-Robots-Tag"] = "noindex, nofollow";
        await http.Response.WriteAsync(html, http.RequestAborted);
    }

    private static string ConfirmPage(LinkCheck check, string token)
    {
        var (link, action) = (check.Link!, check.Action!);
        var verb = link.Outcome == DecisionOutcome.Approve ? "Approve" : "Reject";
        var body = new StringBuilder();
        body.Append("<p>Opening this page decided nothing. Confirm below to <strong>").Append(verb.ToLowerInvariant()).Append("</strong> this action.</p>");
        body.Append(Summary(action));
        body.Append("<p>Link valid until ").Append(Enc(link.ExpiresAt.ToString("u", System.Globalization.CultureInfo.InvariantCulture))).Append(".</p>");
        body.Append("<form method=\"post\" action=\"").Append(Enc(DecisionLinks.PathPrefix + token)).Append("\">");
        body.Append("<p><label for=\"comment\">Comment (optional)</label><br><textarea id=\"comment\" name=\"comment\" rows=\"3\" cols=\"60\" maxlength=\"4096\"></textarea></p>");
        body.Append("<p><button type=\"submit\">").Append(verb).Append(" this action</button></p></form>");
        return Page(verb + " this action?", body.ToString());
    }

    private static string DecidedPage(LinkCheck check)
    {
        var action = check.Action!;
        var verb = action.State == ActionState.Approved ? "approved" : "rejected";
        return Page("Decided", $"<p>The action was <strong>{verb}</strong>. This link cannot be used again.</p>{Summary(action)}");
    }

    private static string RefusalPage(LinkCheck check) =>
        Page("Not decided", $"<p>{Enc(check.Explanation ?? "This link cannot decide.")}</p><p>Nothing was decided.</p>"
            + (check.Action is { } a && check.Refusal != LinkRefusal.Invalid ? Summary(a) : ""));

    private static string Summary(ActionRecord a)
    {
        var sb = new StringBuilder("<dl>");
        Row(sb, "Tool / key", a.IdempotencyKey);
        Row(sb, "Thread", a.ThreadId);
        Row(sb, "Request id", a.Id.ToString());
        Row(sb, "State", a.State.ToString().ToUpperInvariant());
        if (a.CommentForReviewer is { } c)
        {
            Row(sb, "Agent's comment", c);
        }

        if (a.DecisionDeadline is { } d)
        {
            Row(sb, "Decision deadline", d.ToString("u", System.Globalization.CultureInfo.InvariantCulture));
        }

        sb.Append("</dl><p>Payload (SHA-256 ").Append(Enc(a.PayloadHash)).Append("):</p><pre>").Append(Enc(Pretty(a.PayloadJson))).Append("</pre>");
        return sb.ToString();
    }

    private static void Row(StringBuilder sb, string name, string value) =>
        sb.Append("<dt>").Append(Enc(name)).Append("</dt><dd>").Append(Enc(value)).Append("</dd>");

    private static string Pretty(string json)
    {
        try
        {
            using var doc = System.Text.Json.JsonDocument.Parse(json);
            return System.Text.Json.JsonSerializer.Serialize(doc.RootElement, PrettyJson);
        }
        catch (System.Text.Json.JsonException)
        {
            return json;
        }
    }

    // Relaxed escaping shows the payload's text as sent; the page HTML-encodes it afterwards.
    private static readonly System.Text.Json.JsonSerializerOptions PrettyJson = new() { WriteIndented = true, Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping };

    private static string Page(string title, string body) =>
        $"<!DOCTYPE html><html lang=\"en\"><head><meta charset=\"utf-8\"><meta name=\"referrer\" content=\"no-referrer\"><title>{Enc(title)} · Aegis</title></head>"
        + $"<body><main><h1>{Enc(title)}</h1>{body}</main></body></html>";

    private static string Enc(string text) => HtmlEncoder.Default.Encode(text);

    private static string Snake(LinkRefusal refusal) => refusal switch
    {
        LinkRefusal.PayloadChanged => "payload_changed",
        LinkRefusal.AlreadyDecided => "already_decided",
        LinkRefusal.DeadlinePassed => "deadline_passed",
        LinkRefusal.NotFound => "not_found",
        _ => refusal.ToString().ToLowerInvariant(),
    };
}
