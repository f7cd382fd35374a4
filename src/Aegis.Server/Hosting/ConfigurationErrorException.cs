namespace Aegis.Server.Hosting;

/// <summary>A setting the server cannot start with; its message names the setting and says what is wrong.</summary>
public sealed class ConfigurationErrorException(string message, Exception? inner = null) : Exception(message, inner);
