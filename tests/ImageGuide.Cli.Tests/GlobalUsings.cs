global using NUnit.Framework;
global using ImageGuide.Tests;
