namespace Atrium.ChatBench;

/// <summary>What one round of one scenario measured against one server.</summary>
internal sealed record RunResult(
    int Round, string Server, string Scenario, int Clients, int RoomSize, int OfferedRate, long Sent, long Delivered, double DeliveredPerSecond,
    double P50Ms, double P99Ms, double MaxMs, long Expected, long Lost, long Duplicates);
