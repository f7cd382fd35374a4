using System.Globalization;
using System.Text.Json;
using System.Text.RegularExpressions;
using Aegis.Core.Exceptions;
using Cel;

namespace Aegis.Core.Policies;

/// <summary>
/// One compiled CEL condition of a policy rule (the <c>Cel</c> package: ANTLR parser, tree-walking evaluator). The
/// variables are <c>payload</c> (the JSON object: integers as CEL int, other numbers as double, objects as maps),
/// <c>thread_id</c>, <c>idempotency_key</c>, <c>role</c> and <c>key_name</c>. What the package covers of the CEL spec is
/// in docs/policies.md.
/// </summary>
public sealed partial class CelCondition
{
    /// <summary>The reason of a condition that does not compile (REST 400, with line and column).</summary>
    public const string InvalidReason = "POLICY_CONDITION_INVALID";

    /// <summary>Longest accepted condition, in characters.</summary>
    public const int MaxLength = 4096;

    // The environment holds only the standard functions, registered once; compiled programs are pure functions of the
    // variables they are given, so one environment serves every tenant and thread.
    private static readonly CelEnvironment Environment = new(null, null);

    // What a condition is checked against at save time, to catch names that do not exist (the package resolves
    // identifiers only when it evaluates).
    private static readonly PolicyRequest Probe = new("{}", "", "", "agent", "");

    private readonly CelProgramDelegate? _program;

    private CelCondition(string source, CelProgramDelegate? program)
    {
        Source = source;
        _program = program;
    }

    /// <summary>The expression as written.</summary>
    public string Source { get; }

    /// <summary>
    /// Compiles <paramref name="source"/> (empty: always true). Throws <see cref="InvalidInputException"/> naming
    /// <paramref name="field"/> and the position (1-based line and column) of a syntax error, or the unknown variable.
    /// </summary>
    public static CelCondition Compile(string? source, string field)
    {
        if (string.IsNullOrWhiteSpace(source))
        {
            return new CelCondition("", null);
        }

        if (source.Length > MaxLength)
        {
            throw new InvalidInputException(field, $"{field} is {source.Length} characters; at most {MaxLength} are accepted.", InvalidReason);
        }

        CelProgramDelegate program;
        try
        {
            program = Environment.Compile(source);
        }
        catch (CelExpressionParserException ex)
        {
            throw Invalid(field, ex.Message);
        }
        catch (CelException ex)
        {
            throw Invalid(field, ex.Message);
        }

        var condition = new CelCondition(source, program);
        try
        {
            program(Variables(Probe));
        }
        catch (CelUndeclaredReferenceException ex)
        {
            throw Invalid(field, ex.Message + " Variables: payload, thread_id, idempotency_key, role, key_name.");
        }
        catch (CelExpressionParserException ex) when (ex.Message.Contains("no function", StringComparison.Ordinal))
        {
            throw Invalid(field, ex.Message);
        }
        catch (Exception ex) when (ex is not OutOfMemoryException)
        {
            // Anything else depends on the payload (a field the probe lacks, say): judged per request.
        }

        return condition;
    }

    /// <summary>
    /// Evaluates the condition: true or false, or an error message when it cannot be evaluated for this request (a
    /// missing payload field, a type mismatch, a result that is not a bool).
    /// </summary>
    public (bool Matched, string? Error) Evaluate(IDictionary<string, object?> variables)
    {
        if (_program is null)
        {
            return (true, null);
        }

        object? result;
        try
        {
            result = _program(variables!);
        }
        catch (Exception ex) when (ex is not OutOfMemoryException)
        {
            // The package raises its own CelExceptions, but also plain .NET ones (a bad regular expression is an
            // ArgumentException): whatever it throws, a condition must never fail a request — the caller fails closed.
            return (false, ex.Message);
        }

        return result is bool b ? (b, null) : (false, $"The condition yielded {result ?? "null"}, not a bool.");
    }

    /// <summary>The CEL variables of <paramref name="request"/>.</summary>
    public static Dictionary<string, object?> Variables(PolicyRequest request)
    {
        using var document = JsonDocument.Parse(request.PayloadJson);
        return new Dictionary<string, object?>
        {
            ["payload"] = ToCel(document.RootElement),
            ["thread_id"] = request.ThreadId,
            ["idempotency_key"] = request.IdempotencyKey,
            ["role"] = request.Role,
            ["key_name"] = request.KeyName,
        };
    }

    // JSON → the values the package's operators and macros accept: maps must be string-keyed dictionaries, lists
    // arrays; an integer that fits is a CEL int (long), any other number a double.
    private static object? ToCel(JsonElement e) => e.ValueKind switch
    {
        JsonValueKind.Object => e.EnumerateObject().GroupBy(p => p.Name, StringComparer.Ordinal).ToDictionary(g => g.Key, g => ToCel(g.Last().Value), StringComparer.Ordinal),
        JsonValueKind.Array => e.EnumerateArray().Select(ToCel).ToArray(),
        JsonValueKind.String => e.GetString(),
        JsonValueKind.Number => e.TryGetInt64(out var l) ? l : e.GetDouble(),
        JsonValueKind.True => true,
        JsonValueKind.False => false,
        _ => null,
    };

    private static InvalidInputException Invalid(string field, string message)
    {
        var details = new Dictionary<string, string>();
        var text = $"{field} is not a valid CEL expression: {message}";
        if (Position().Match(message) is { Success: true } m)
        {
            var line = int.Parse(m.Groups[1].Value, CultureInfo.InvariantCulture);
            var column = int.Parse(m.Groups[2].Value, CultureInfo.InvariantCulture) + 1;
            details["line"] = line.ToString(CultureInfo.InvariantCulture);
            details["column"] = column.ToString(CultureInfo.InvariantCulture);
            text = $"{field}: CEL syntax error at line {line}, column {column}: {m.Groups[3].Value}";
        }

        return new InvalidInputException(field, text, InvalidReason, details);
    }

    // The ANTLR listener's message: "Line 1:15 missing ')' at '<EOF>'" (0-based column).
    [GeneratedRegex(@"^Line (\d+):(\d+) (.*)$", RegexOptions.Singleline)]
    private static partial Regex Position();
}
