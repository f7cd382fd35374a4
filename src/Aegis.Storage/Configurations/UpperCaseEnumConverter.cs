using Microsoft.EntityFrameworkCore.Storage.ValueConversion;

namespace Aegis.Storage.Configurations;

/// <summary>Stores an enum as its upper-case name, the bounded string raw SQL and operators read.</summary>
public sealed class UpperCaseEnumConverter<TEnum>() : ValueConverter<TEnum, string>(
    v => v.ToString().ToUpperInvariant(),
    v => Enum.Parse<TEnum>(v, true))
    where TEnum : struct, Enum;
