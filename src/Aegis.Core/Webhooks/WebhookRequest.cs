namespace Aegis.Core.Webhooks;

/// <summary>One HTTP POST of an event: JSON <paramref name="Body"/> to <paramref name="Url"/> with <paramref name="Headers"/>.</summary>
/// <param name="Url">The endpoint.</param>
/// <param name="Body">The JSON body, exactly as signed.</param>
/// <param name="Headers">Signature, event id, attempt.</param>
public sealed record WebhookRequest(Uri Url, string Body, IReadOnlyDictionary<string, string> Headers);
