namespace ImageGuide.Phantoms;

/// <summary>Progress of phantom generation: the step just finished and how many of the steps are done.</summary>
/// <param name="Step">Name of the step just completed.</param>
/// <param name="Completed">Steps completed.</param>
/// <param name="Total">Total steps.</param>
public readonly record struct PhantomProgress(string Step, int Completed, int Total);
